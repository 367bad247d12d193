import type { TautulliCommand } from '../types';

export const historyCommands: TautulliCommand[] = [];
