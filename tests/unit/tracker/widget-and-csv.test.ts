import { expect, test } from 'vitest';
import { buildBookmarklet, buildUserscript } from '../../../lib/tracker/widget-core';
import { escapeCsvCell, toCsv } from '../../../lib/tracker/csv';
import { parseOriginList } from '../../../lib/http/cors';

test('the userscript names the app origin in @connect and the configured @match patterns, and carries no token', () => {
  const s = buildUserscript({ origin: 'https://marquee.example:8443', matches: ['https://queue.example/*', '*://tickets.example/*'], version: '1.2.3' });
  expect(s).toMatch(/^\/\/ ==UserScript==/);
  expect(s).toContain('// @connect      marquee.example');
  expect(s).toContain('// @match        https://queue.example/*');
  expect(s).toContain('// @match        *://tickets.example/*');
  expect(s).toContain('"origin":"https://marquee.example:8443"');
  expect(s).not.toMatch(/mq_[A-Za-z0-9_-]{10,}/);
  expect(() => new Function('GM_xmlhttpRequest', 'GM_getValue', 'GM_setValue', 'GM_registerMenuCommand', s)).not.toThrow();
});

test('the bookmarklet is a javascript: URL that decodes to valid code with the origin and token', () => {
  const b = buildBookmarklet('https://marquee.example', 'mq_secret123');
  expect(b.startsWith('javascript:')).toBe(true);
  const code = decodeURIComponent(b.slice('javascript:'.length));
  expect(code).toContain('"mq_secret123"');
  expect(code).toContain('"origin":"https://marquee.example"');
  expect(() => new Function(code)).not.toThrow();
});

test('CSV cells: quoting and formula defusing', () => {
  expect(escapeCsvCell('a,b')).toBe('"a,b"');
  expect(escapeCsvCell('say "hi"')).toBe('"say ""hi"""');
  expect(escapeCsvCell('=cmd()')).toBe("'=cmd()");
  expect(escapeCsvCell(-3.5)).toBe('-3.5');
  expect(escapeCsvCell(null)).toBe('');
  expect(toCsv([{ a: 1, b: 'x' }], ['a', 'b'])).toBe('a,b\r\n1,x\r\n');
});

test('TRACKER_ALLOWED_ORIGINS parsing keeps bare origins only', () => {
  expect(parseOriginList(' https://a.example , http://b.example:8080/,https://c.example/path,nonsense,')).toEqual(['https://a.example', 'http://b.example:8080']);
});
