import { describe, expect, it } from 'vitest';
import { readTautulliParams, tautulliParams } from '../../../lib/tautulli-api/params';
import { TautulliError } from '../../../lib/tautulli-api/types';

const p = (o: Record<string, string>) => tautulliParams(new Map(Object.entries(o)));

describe("Tautulli's lenient parameters", () => {
  it('reads ints from "10", "10.0" and " 7 ", refuses words', () => {
    expect(p({ a: '10', b: '10.0', c: ' 7 ', d: '' }).int('a')).toBe(10);
    expect(p({ b: '10.0' }).int('b')).toBe(10);
    expect(p({ c: ' 7 ' }).int('c')).toBe(7);
    expect(p({ d: '' }).int('d')).toBeUndefined();
    expect(p({}).int('x')).toBeUndefined();
    expect(() => p({ e: 'ten' }).int('e')).toThrow(new TautulliError('Parameter e must be an integer.'));
    expect(() => p({ e: '1e3' }).int('e')).toThrow(TautulliError);
  });
  it("reads Tautulli's truthy and falsy strings", () => {
    for (const v of ['1', 'true', 'True', 'yes', 'on']) expect(p({ v }).bool('v')).toBe(true);
    for (const v of ['0', 'false', 'False', 'no', 'off', '']) expect(p({ v }).bool('v')).toBe(false);
    expect(p({}).bool('v')).toBeUndefined();
  });
  it('names a missing required parameter', () => {
    expect(() => p({}).required('user_id')).toThrow(new TautulliError('Parameter user_id is required.'));
    expect(p({ user_id: '5' }).required('user_id')).toBe('5');
  });
  it('merges the query string with a form or JSON body (the body wins)', async () => {
    const form = await readTautulliParams(new Request('http://x/api/v2?cmd=status&apikey=q', { method: 'POST', body: 'apikey=b&length=2', headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
    expect(Object.fromEntries(form)).toEqual({ cmd: 'status', apikey: 'b', length: '2' });
    const json = await readTautulliParams(new Request('http://x/api/v2?cmd=status', { method: 'POST', body: JSON.stringify({ apikey: 'j', length: 3, grouping: true, skip: null }), headers: { 'content-type': 'application/json' } }));
    expect(Object.fromEntries(json)).toEqual({ cmd: 'status', apikey: 'j', length: '3', grouping: 'true' });
    await expect(readTautulliParams(new Request('http://x/api/v2', { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } }))).rejects.toThrow(TautulliError);
  });
});
