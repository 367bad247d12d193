import type { TautulliCommand } from '../types';

export const statsCommands: TautulliCommand[] = [];
