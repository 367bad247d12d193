import { describe, expect, test } from 'vitest';
import { parse as parseCsv } from 'csv-parse/sync';
import { crlfRecords, inlineParams, sqlLiteral } from '@/lib/database/copy-out';

describe('crlfRecords', () => {
  const csv = 'a,"multi\nline ""quoted""\n",b\nc,"x,\ny",d\n"",e,f\n';

  test('ends records with CRLF and leaves line breaks inside quoted cells alone', () => {
    const out = crlfRecords()(Buffer.from(csv)).toString();
    expect(out).toBe('a,"multi\nline ""quoted""\n",b\r\nc,"x,\ny",d\r\n"",e,f\r\n');
    expect(parseCsv(out)).toEqual(parseCsv(csv));
  });

  test('keeps the quote state across chunks, whatever the split', () => {
    const want = crlfRecords()(Buffer.from(csv)).toString();
    for (let size = 1; size <= csv.length; size++) {
      const convert = crlfRecords();
      const bytes = Buffer.from(csv);
      let out = '';
      for (let i = 0; i < bytes.length; i += size) out += convert(bytes.subarray(i, i + size)).toString('latin1');
      expect(out, `chunks of ${size}`).toBe(want);
    }
  });
});

describe('inlineParams', () => {
  test('writes values in as literals a value cannot break out of', () => {
    expect(inlineParams('x = $1 AND y = $2 AND z = $10', ["o'neil", true, 3, 4, 5, 6, 7, 8, 9, 'a\\b'])).toBe(
      // pg's escapeLiteral puts a space before E'…'
      "x = 'o''neil' AND y = TRUE AND z =  E'a\\\\b'",
    );
    expect(sqlLiteral("'); DROP TABLE \"Play\"; --")).toBe("'''); DROP TABLE \"Play\"; --'");
    expect(sqlLiteral(null)).toBe('NULL');
  });

  test('refuses a statement that refers to a missing value', () => {
    expect(() => inlineParams('x = $2', ['a'])).toThrow();
    expect(() => sqlLiteral({})).toThrow();
  });
});
