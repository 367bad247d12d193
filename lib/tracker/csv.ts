// CSV for the tracker export. Kept small and local until lib/http/csv.ts (shared escaping) lands;
// the cell rule is the same: quote when needed, and defuse spreadsheet formulas.
const FORMULA_START = /^[=+\-@\t\r]/;

export function escapeCsvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'string' ? value : String(value);
  // A leading = + - @ makes Excel/LibreOffice evaluate the cell; numbers are written as numbers.
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const TRACKER_CSV_COLUMNS = ['sessionId', 'index', 'startedAt', 'endedAt', 'rawS', 'activeS', 'pausedS', 'ghost', 'targetS'] as const;

export function toCsv(rows: Record<string, unknown>[], columns: readonly string[]): string {
  const lines = [columns.join(',')];
  for (const r of rows) lines.push(columns.map((c) => escapeCsvCell(r[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}
