// Tautulli's DataTables parameters (webserve.py build_datatables_json): start, length, order_column,
// order_dir, search, draw; and the page it answers: { draw, recordsTotal, recordsFiltered, data }.
import type { TautulliParams } from './types';

export interface DataTablesQuery {
  start: number;
  length: number;
  orderColumn: string | undefined;
  orderDir: 'asc' | 'desc';
  search: string | undefined;
  draw: number;
}

/** `length` is capped (Tautulli Remote asks for 10,000,000 rows to mean "all"). */
export const DATATABLES_MAX_LENGTH = 10_000;

export function dataTablesQuery(params: TautulliParams, defaults: { orderColumn: string; orderDir?: 'asc' | 'desc' }): DataTablesQuery {
  const length = params.int('length') ?? 25;
  return {
    start: Math.max(0, params.int('start') ?? 0),
    length: length < 0 ? DATATABLES_MAX_LENGTH : Math.min(Math.max(length, 0), DATATABLES_MAX_LENGTH),
    orderColumn: params.str('order_column') ?? defaults.orderColumn,
    orderDir: (params.str('order_dir') ?? defaults.orderDir ?? 'asc').toLowerCase() === 'desc' ? 'desc' : 'asc',
    search: params.str('search')?.trim() || undefined,
    draw: params.int('draw') ?? 1,
  };
}

/** Sorts rows in memory on a Tautulli column (nulls last), then cuts the page. */
export function pageRows<T extends Record<string, unknown>>(rows: T[], q: DataTablesQuery, columns: readonly string[]): T[] {
  const col = q.orderColumn && columns.includes(q.orderColumn) ? q.orderColumn : undefined;
  const sorted = col
    ? [...rows].sort((a, b) => {
        const x = a[col];
        const y = b[col];
        if (x === y) return 0;
        if (x === null || x === undefined || x === '') return 1;
        if (y === null || y === undefined || y === '') return -1;
        const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { sensitivity: 'base', numeric: true });
        return q.orderDir === 'desc' ? -c : c;
      })
    : rows;
  return sorted.slice(q.start, q.start + q.length);
}

export function dataTablesPage<T>(q: DataTablesQuery, total: number, filtered: number, data: T[]) {
  return { draw: q.draw, recordsTotal: total, recordsFiltered: filtered, data };
}
