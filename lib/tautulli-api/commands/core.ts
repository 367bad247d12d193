import type { TautulliCommand } from '../types';

export const coreCommands: TautulliCommand[] = [];
