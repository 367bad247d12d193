import { describe, expect, it } from 'vitest';
import { contractDiff } from '../../helpers/tautulli-contract';

describe('Tautulli contract check', () => {
  const example = { response: { result: 'success', data: { stream_count: '1', sessions: [{ user_id: 1, thumb: '/x' }], note: null } } };
  it('passes a response with the same keys and types (extra keys allowed)', () => {
    expect(contractDiff({ response: { result: 'success', data: { stream_count: '2', extra: 1, sessions: [{ user_id: 5, thumb: '/y' }], note: 'x' } } }, example)).toEqual([]);
  });
  it('names a missing key, a string sent as a number, and a bad array element', () => {
    const diff = contractDiff({ response: { result: 'success', data: { stream_count: 2, sessions: [{ user_id: 1, thumb: '/a' }, { user_id: '1' }] } } }, example);
    expect(diff).toEqual(['response.data.stream_count: expected string, got number', 'response.data.sessions[].user_id: expected number, got string', 'response.data.sessions[].thumb: missing', 'response.data.note: missing']);
  });
  it('null is refused where the example has a value unless the path is nullable', () => {
    const actual = { response: { result: 'success', data: { stream_count: '1', sessions: [{ user_id: 1, thumb: null }], note: null } } };
    expect(contractDiff(actual, example)).toEqual(['response.data.sessions[].thumb: expected string, got null']);
    expect(contractDiff(actual, example, { nullable: ['response.data.sessions[].thumb'] })).toEqual([]);
  });
  it('`types` expects another type where Tautulli sends another than its docstring shows', () => {
    const actual = { response: { result: 'success', data: { stream_count: 1, sessions: [{ user_id: 1, thumb: '/x' }], note: null } } };
    expect(contractDiff(actual, example, { types: { 'response.data.stream_count': 'number' } })).toEqual([]);
    expect(contractDiff({ ...actual, response: { ...actual.response, data: { ...actual.response.data, stream_count: '1' } } }, example, { types: { 'response.data.stream_count': 'number' } })).toEqual([
      'response.data.stream_count: expected number, got string',
    ]);
  });
});
