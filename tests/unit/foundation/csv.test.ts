// lib/http/csv.ts: RFC 4180 cells that spreadsheets will not evaluate, and the keyset stream every
// export (audit, history, tracker) is built on.
import { describe, expect, test } from 'vitest';
import { columnsOf, csvCell, csvDownloadHeaders, csvRow, streamCsv, streamJsonArray, streamKeyset, streamNdjson } from '@/lib/http/csv';

/** A minimal RFC 4180 reader, so the tests check what a spreadsheet would read back. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      records.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell || row.length) throw new Error(`unterminated record: ${JSON.stringify([...row, cell])}`);
  return records;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<{ text: string; chunks: number }> {
  const reader = stream.getReader();
  const dec = new TextDecoder('utf-8', { ignoreBOM: true }); // keep a BOM, to see it
  let text = '';
  let chunks = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text, chunks };
    chunks++;
    text += dec.decode(value, { stream: true });
  }
}

describe('csvCell', () => {
  test('quotes commas, quotes, CR and LF and doubles inner quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line 1\nline 2')).toBe('"line 1\nline 2"');
    expect(csvCell('a\r\nb')).toBe('"a\r\nb"');
    expect(csvCell('plain')).toBe('plain');
  });

  test('neutralises every formula prefix: = + - @ tab CR', () => {
    for (const s of ['=1+1', '+33 6 12', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd']) {
      const [[read]] = parseCsv(csvRow([s])) as [[string]];
      expect(read).toBe(`'${s}`);
    }
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell('a=b')).toBe('a=b');
    // A number cannot carry a formula, and prefixing it would turn -5 into text.
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(-2n)).toBe('-2');
    expect(csvCell('-5')).toBe("'-5");
  });

  test('keeps non-ASCII text as is', () => {
    expect(csvCell('Amélie · 東京物語 🎬')).toBe('Amélie · 東京物語 🎬');
    expect(parseCsv(csvRow(['Ñandú, "el"', 'Привет\nмир']))).toEqual([['Ñandú, "el"', 'Привет\nмир']]);
  });

  test('empty for null/undefined, ISO for dates, JSON for objects (bigints as text)', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(false)).toBe('false');
    expect(csvCell(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe('2026-01-02T03:04:05.000Z');
    expect(csvCell({ n: 1, id: 2n })).toBe('"{""n"":1,""id"":""2""}"');
  });

  test('a record ends with CRLF (RFC 4180)', () => {
    expect(csvRow(['a', 1, null])).toBe('a,1,\r\n');
  });
});

describe('csvDownloadHeaders', () => {
  test('UTF-8 text/csv attachment whose name cannot break the header', () => {
    const h = csvDownloadHeaders('history "2026".csv');
    expect(h['content-type']).toBe('text/csv; charset=utf-8');
    expect(h['content-disposition']).toBe('attachment; filename="history _2026_.csv"');
  });
});

type Row = { id: number; name: string };
function table(n: number) {
  const rows: Row[] = Array.from({ length: n }, (_, i) => ({ id: i + 1, name: i % 2 ? `=cmd|${i}` : `Zoë, ${i}` }));
  const calls: (number | null)[] = [];
  const fetchPage = async (after: number | null, limit: number) => {
    calls.push(after);
    return rows.filter((r) => after === null || r.id > after).slice(0, limit);
  };
  return { rows, calls, fetchPage };
}

describe('streamCsv', () => {
  test('streams a header and every row, one chunk per page, paging by key', async () => {
    const t = table(25);
    const { text, chunks } = await readAll(streamCsv(columnsOf<Row, 'id' | 'name'>(['id', 'name']), { fetchPage: t.fetchPage, keyOf: (r) => r.id, batch: 10 }));
    const records = parseCsv(text);
    expect(records[0]).toEqual(['id', 'name']);
    expect(records).toHaveLength(26);
    expect(records[1]).toEqual(['1', 'Zoë, 0']);
    expect(records[2]).toEqual(['2', "'=cmd|1"]);
    expect(records[25]).toEqual(['25', 'Zoë, 24']);
    expect(t.calls).toEqual([null, 10, 20]);
    expect(chunks).toBe(4); // header + 3 pages
  });

  test('an exact multiple of the page size ends after one empty page', async () => {
    const t = table(20);
    const { text } = await readAll(streamCsv(columnsOf<Row, 'id' | 'name'>(['id', 'name']), { fetchPage: t.fetchPage, keyOf: (r) => r.id, batch: 10 }));
    expect(parseCsv(text)).toHaveLength(21);
    expect(t.calls).toEqual([null, 10, 20]);
  });

  test('bom: true prepends U+FEFF for Excel', async () => {
    const t = table(1);
    const { text } = await readAll(streamCsv([{ header: 'name', value: (r: Row) => r.name }], { fetchPage: t.fetchPage, keyOf: (r) => r.id, bom: true }));
    expect(text).toBe('\uFEFFname\r\n"Zoë, 0"\r\n');
  });
});

describe('streamKeyset', () => {
  test('queries the next page only when the reader asks for more (backpressure)', async () => {
    const t = table(100);
    const stream = streamKeyset({ fetchPage: t.fetchPage, keyOf: (r: Row) => r.id, batch: 10, encodePage: (rows) => rows.map((r) => `${r.id}\n`).join('') });
    const reader = stream.getReader();
    await reader.read();
    await new Promise((r) => setTimeout(r, 20));
    // One page read and at most one more buffered: a stalled client does not drain the table.
    expect(t.calls.length).toBeLessThanOrEqual(2);
    await reader.cancel();
    const after = t.calls.length;
    await new Promise((r) => setTimeout(r, 20));
    expect(t.calls.length).toBe(after);
    expect(after).toBeLessThan(10);
  });

  test('wraps pages with head and tail and tells encodePage the running index', async () => {
    const t = table(3);
    const { text } = await readAll(
      streamKeyset({
        fetchPage: t.fetchPage,
        keyOf: (r: Row) => r.id,
        batch: 2,
        head: '[',
        encodePage: (rows, index) => rows.map((r, i) => (index + i === 0 ? '' : ',') + r.id).join(''),
        tail: ']',
      }),
    );
    expect(text).toBe('[1,2,3]');
    const empty = table(0);
    expect((await readAll(streamKeyset({ fetchPage: empty.fetchPage, keyOf: (r: Row) => r.id, head: '[', tail: ']', encodePage: () => 'x' }))).text).toBe('[]');
  });
});

describe('streamJsonArray and streamNdjson', () => {
  test('the same rows as a JSON array and as NDJSON, bigints as strings', async () => {
    const rows = [{ id: 1n, name: 'Zoë' }, { id: 2n, name: 'a\nb' }, { id: 3n, name: '=x' }];
    const source = {
      batch: 2,
      keyOf: (r: (typeof rows)[number]) => r.id,
      fetchPage: async (after: bigint | null, limit: number) => rows.filter((r) => after === null || r.id > after).slice(0, limit),
    };
    const array = (await readAll(streamJsonArray(source))).text;
    expect(JSON.parse(array)).toEqual([{ id: '1', name: 'Zoë' }, { id: '2', name: 'a\nb' }, { id: '3', name: '=x' }]);
    const lines = (await readAll(streamNdjson(source))).text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([{ id: '1', name: 'Zoë' }, { id: '2', name: 'a\nb' }, { id: '3', name: '=x' }]);
    const empty = { ...source, fetchPage: async () => [] };
    expect(JSON.parse((await readAll(streamJsonArray(empty))).text)).toEqual([]);
    expect((await readAll(streamNdjson(empty))).text).toBe('');
  });
});
