// `COPY (SELECT …) TO STDOUT` streamed straight to an HTTP body: PostgreSQL formats the rows, so an
// export of millions of rows costs the web process a socket chunk at a time instead of a JavaScript
// object per cell. Exports run on their own small pool, so a long download never holds one of
// Prisma's connections.
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { databaseUrl } from '../env';
import { errorFields, logger } from '../logger';

const g = globalThis as unknown as { __marqueeCopyPool?: pg.Pool };

function copyPool(): pg.Pool {
  // A few downloads at once; one more waits for a free connection (bounded, not queued forever).
  if (!g.__marqueeCopyPool) {
    g.__marqueeCopyPool = new pg.Pool({ connectionString: databaseUrl(), max: 4, connectionTimeoutMillis: 30_000, idleTimeoutMillis: 10_000 });
    // An idle connection the server closed (restart, pg_terminate_backend) is dropped by the pool;
    // unlistened, that 'error' event would end the web process.
    g.__marqueeCopyPool.on('error', (err) => logger.warn('export connection lost', errorFields(err)));
  }
  return g.__marqueeCopyPool;
}

/**
 * A SQL literal for a value that COPY cannot take as a bind parameter. Strings go through pg's
 * escapeLiteral (quotes and backslashes doubled, E'' when needed), so a value can never end the literal.
 */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return pg.escapeLiteral(value);
  if (value instanceof Date) return pg.escapeLiteral(value.toISOString());
  throw new Error(`no SQL literal for a ${typeof value}`);
}

/** A parameterised statement (`$1`, `$2`, …) with its values written in as literals. */
export function inlineParams(text: string, values: readonly unknown[]): string {
  return text.replace(/\$(\d+)/g, (_m, n: string) => {
    const i = Number(n) - 1;
    if (i < 0 || i >= values.length) throw new Error(`statement refers to $${n}, but ${values.length} values were given`);
    return sqlLiteral(values[i]);
  });
}

const LF = 0x0a;
const QUOTE = 0x22;
const CRLF = Buffer.from('\r\n');

/**
 * PostgreSQL's CSV ends records with LF; RFC 4180 (and every export of ours) with CRLF. Rewrites the
 * LF that ends a record, not one inside a quoted cell; the quote state carries over between chunks.
 */
export function crlfRecords(): (chunk: Buffer) => Buffer {
  let quoted = false;
  return (chunk) => {
    const parts: Buffer[] = [];
    let start = 0;
    let i = 0;
    let nextQuote = chunk.indexOf(QUOTE, 0);
    while (i < chunk.length) {
      if (quoted) {
        if (nextQuote < 0) break;
        quoted = false; // a doubled "" closes and reopens: the next quote is found below
        i = nextQuote + 1;
        nextQuote = chunk.indexOf(QUOTE, i);
        continue;
      }
      const lf = chunk.indexOf(LF, i);
      if (nextQuote >= 0 && (lf < 0 || nextQuote < lf)) {
        quoted = true;
        i = nextQuote + 1;
        nextQuote = chunk.indexOf(QUOTE, i);
        continue;
      }
      if (lf < 0) break;
      parts.push(chunk.subarray(start, lf), CRLF);
      start = i = lf + 1;
    }
    if (parts.length === 0) return chunk;
    parts.push(chunk.subarray(start));
    return Buffer.concat(parts);
  };
}

/**
 * Streams `COPY (<select>) TO STDOUT WITH (FORMAT csv)` after `head`, CSV records CRLF-ended. The
 * query starts when the consumer first pulls and reads on only as the consumer pulls (TCP
 * backpressure holds PostgreSQL back). The connection is released when the COPY ends; a cancelled
 * download (the client went away) closes it, which ends the COPY on the server.
 */
export function streamCopyCsv(select: string, head: string): ReadableStream<Uint8Array> {
  let client: pg.PoolClient | null = null;
  let rows: AsyncIterator<Buffer> | null = null;
  let cancelled = false;
  const toCrlf = crlfRecords();
  const release = (err?: Error) => {
    const c = client;
    client = null;
    if (!c) return;
    // Released with an error, the pool ends the client instead of reusing it (`_ending` set first, so
    // the closed socket is not reported as an unexpected error). Ending alone would only half-close:
    // PostgreSQL would go on sorting and sending into a socket nobody reads, so it is destroyed, and
    // the backend stops at its next write.
    c.release(err);
    if (err) (c as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(new TextEncoder().encode(head));
      },
      async pull(controller) {
        try {
          if (!rows) {
            client = await copyPool().connect();
            if (cancelled) return release(new Error('export cancelled'));
            const copy = client.query(copyTo(`COPY (${select}) TO STDOUT WITH (FORMAT csv, HEADER false)`));
            // Errors reach the reader through the iterator; this keeps one emitted after a cancel from
            // being an uncaught 'error' event.
            copy.on('error', () => {});
            rows = copy[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
          }
          const next = await rows.next();
          if (cancelled) return;
          if (next.done) {
            release();
            controller.close();
            return;
          }
          controller.enqueue(toCrlf(next.value));
        } catch (err) {
          release(err instanceof Error ? err : new Error(String(err)));
          if (!cancelled) controller.error(err);
        }
      },
      async cancel() {
        cancelled = true;
        release(new Error('export cancelled'));
        await rows?.return?.().catch(() => {});
      },
    },
    { highWaterMark: 1 },
  );
}
