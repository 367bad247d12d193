// Exports (audit log, history, tracker): RFC 4180 CSV cells that a spreadsheet will not evaluate,
// and a keyset-paged stream so an export of millions of rows holds one page in memory, written as
// CSV, a JSON array or NDJSON. Framework-free, so the worker can write exports too.

/** RFC 4180 ends every record, the last included, with CRLF. */
export const CSV_EOL = '\r\n';

// A cell a spreadsheet would read as a formula (or as a prefix Excel strips before evaluating one).
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell: null/undefined → empty, Date → ISO 8601, objects → JSON, formula-looking text
 * prefixed with `'` (so `=HYPERLINK(…)` stays text when opened in Excel/LibreOffice/Sheets), and
 * quoted when it holds a comma, quote, CR or LF. Numbers stay numbers: `-5` is not a formula.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  let s =
    value instanceof Date
      ? value.toISOString()
      : typeof value === 'object'
        ? JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
        : String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One record, CRLF-terminated. */
export function csvRow(values: readonly unknown[]): string {
  return values.map(csvCell).join(',') + CSV_EOL;
}

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => unknown;
}

/** Columns named after a row's own keys (header = key). */
export function columnsOf<T, K extends keyof T & string>(keys: readonly K[]): CsvColumn<T>[] {
  return keys.map((k) => ({ header: k, value: (row: T) => row[k] }));
}

/** The response headers of a downloaded CSV; the charset tells spreadsheets the bytes are UTF-8. */
export function csvDownloadHeaders(filename: string): Record<string, string> {
  return {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${filename.replace(/["\\\r\n]/g, '_')}"`,
    'cache-control': 'no-store',
  };
}

export interface KeysetSource<Row, Key> {
  /** Rows strictly after `after` (null: from the start), in key order, at most `limit`. */
  fetchPage: (after: Key | null, limit: number) => Promise<Row[]>;
  /** The key of a row, passed back as `after` for the next page. */
  keyOf: (row: Row) => Key;
  /** Rows a query reads at once (default 1000). */
  batch?: number;
}

export interface KeysetStreamOptions<Row, Key> extends KeysetSource<Row, Key> {
  /** Text before the first page (a CSV header, `[`). */
  head?: string;
  /** Encodes one page; `index` is the position of its first row in the whole stream. */
  encodePage: (rows: Row[], index: number) => string;
  /** Text after the last page. */
  tail?: string;
}

/**
 * Pages through a source by key and encodes each page as it is read. The next page is queried only
 * when the consumer pulls (the stream holds one chunk), so a slow download stalls the query loop
 * instead of buffering the table; a cancelled download stops it.
 */
export function streamKeyset<Row, Key>(opts: KeysetStreamOptions<Row, Key>): ReadableStream<Uint8Array> {
  const batch = opts.batch ?? 1000;
  const enc = new TextEncoder();
  let after: Key | null = null;
  let index = 0;
  let done = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (opts.head) controller.enqueue(enc.encode(opts.head));
      },
      async pull(controller) {
        if (done) return;
        const rows = await opts.fetchPage(after, batch);
        if (done) return; // cancelled while the query ran
        const chunk = rows.length ? opts.encodePage(rows, index) : '';
        index += rows.length;
        if (rows.length < batch) {
          done = true;
          const last = chunk + (opts.tail ?? '');
          if (last) controller.enqueue(enc.encode(last));
          controller.close();
          return;
        }
        after = opts.keyOf(rows[rows.length - 1]!);
        if (chunk) controller.enqueue(enc.encode(chunk));
      },
      cancel() {
        done = true;
      },
    },
    { highWaterMark: 1 },
  );
}

/**
 * A whole CSV export: header row, then every row of the source, streamed page by page. `bom` prepends
 * U+FEFF, which older Excel needs to read UTF-8 (off by default: the header row is then exactly the
 * field names, as API clients expect).
 */
export function streamCsv<Row, Key>(
  columns: readonly CsvColumn<Row>[],
  source: KeysetSource<Row, Key> & { bom?: boolean },
): ReadableStream<Uint8Array> {
  return streamKeyset({
    ...source,
    head: (source.bom ? '\uFEFF' : '') + csvRow(columns.map((c) => c.header)),
    encodePage: (rows) => rows.map((r) => csvRow(columns.map((c) => c.value(r)))).join(''),
  });
}

/** JSON text of a row; bigints (Prisma ids) as strings. */
function toJson(row: unknown): string {
  return JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** The same export as one JSON array (`[`, a row per line, `]`), streamed page by page. */
export function streamJsonArray<Row, Key>(source: KeysetSource<Row, Key>): ReadableStream<Uint8Array> {
  return streamKeyset({
    ...source,
    head: '[',
    encodePage: (rows, index) => rows.map((r, i) => (index + i === 0 ? '\n' : ',\n') + toJson(r)).join(''),
    tail: '\n]\n',
  });
}

/** The same export as NDJSON: one JSON object per line. */
export function streamNdjson<Row, Key>(source: KeysetSource<Row, Key>): ReadableStream<Uint8Array> {
  return streamKeyset({ ...source, encodePage: (rows) => rows.map((r) => toJson(r) + '\n').join('') });
}
