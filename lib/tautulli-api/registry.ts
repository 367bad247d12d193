// Every Tautulli command Marquee answers, by name. Each commands/*.ts file exports its list.
import type { TautulliCommand } from './types';
import { coreCommands } from './commands/core';
import { historyCommands } from './commands/history';
import { statsCommands } from './commands/stats';

export const TAUTULLI_COMMANDS: ReadonlyMap<string, TautulliCommand> = new Map(
  [...coreCommands, ...historyCommands, ...statsCommands].map((c) => [c.name, c]),
);
