// @vitest-environment jsdom
// components/ui/api.ts: the one client fetch helper. What the user reads when a call fails is its
// message, so the tests pin the messages, not just that something was thrown.
import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { ApiError, callApi, NETWORK_ERROR, useApiAction } from '@/components/ui/api';
import { FormOutcomeLine } from '@/components/ui/form';

afterEach(() => vi.unstubAllGlobals());

function stubFetch(answer: () => Promise<Response> | Response) {
  const fetch = vi.fn(async (_path: string, _init?: RequestInit) => answer());
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe('callApi', () => {
  test('sends JSON with the session cookie and returns the JSON answer', async () => {
    const fetch = stubFetch(() => Response.json({ id: 'v1' }, { status: 201 }));
    expect(await callApi<{ id: string }>('/api/things', { method: 'POST', body: { name: 'Zoë' } })).toEqual({ id: 'v1' });
    const [path, init] = fetch.mock.calls[0]!;
    expect(path).toBe('/api/things');
    expect(init).toMatchObject({ method: 'POST', credentials: 'same-origin', body: '{"name":"Zoë"}' });
    expect(init!.headers).toMatchObject({ 'content-type': 'application/json', accept: 'application/json' });
  });

  test('a GET sends no body and no content-type; 204 and empty bodies return undefined', async () => {
    const fetch = stubFetch(() => new Response(null, { status: 204 }));
    expect(await callApi('/api/things/1', { method: 'DELETE' })).toBeUndefined();
    await callApi('/api/things');
    expect(fetch.mock.calls[1]![1]).toMatchObject({ method: 'GET', body: undefined });
    expect(fetch.mock.calls[1]![1]!.headers).not.toHaveProperty('content-type');
    stubFetch(() => new Response('', { status: 200 }));
    expect(await callApi('/api/things')).toBeUndefined();
  });

  test('our error body becomes an ApiError with its message, code, status and details', async () => {
    stubFetch(() => Response.json({ error: { code: 'server_timeout', message: 'The Plex server did not answer.', details: { after: 8 } } }, { status: 422 }));
    const err = await failure(callApi('/api/servers/test', { method: 'POST', body: {} }));
    expect(err.message).toBe('The Plex server did not answer.');
    expect(err.code).toBe('server_timeout');
    expect(err.status).toBe(422);
    expect(err.details).toEqual({ after: 8 });
  });

  test('an error without our body (a proxy page, an empty body) still gets a human message', async () => {
    stubFetch(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    let err = await failure(callApi('/api/x'));
    expect(err.message).toBe('Marquee could not complete the request (502). Try again in a moment.');
    expect(err.code).toBe('http_error');
    stubFetch(() => new Response('{}', { status: 401 }));
    err = await failure(callApi('/api/x'));
    expect(err.message).toBe('Your session has ended. Sign in again.');
    stubFetch(() => new Response('', { status: 418 }));
    expect((await failure(callApi('/api/x'))).message).toBe('Request failed (418).');
  });

  test('the network being down is an ApiError with the network message, status 0', async () => {
    stubFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    const err = await failure(callApi('/api/x'));
    expect(err.message).toBe(NETWORK_ERROR);
    expect(err.message).toMatch(/Could not reach Marquee/);
    expect(err.code).toBe('network_error');
    expect(err.status).toBe(0);
  });

  test('an aborted call rethrows the AbortError, so callers can ignore it', async () => {
    const abort = new DOMException('aborted', 'AbortError');
    stubFetch(() => Promise.reject(abort));
    await expect(callApi('/api/x', { signal: AbortSignal.abort() })).rejects.toBe(abort);
  });
});

function Probe({ fn }: { fn: () => Promise<string | void> }) {
  const { outcome, pending, run } = useApiAction();
  return (
    <div>
      <button type="button" disabled={pending} onClick={() => run(fn)}>
        Go
      </button>
      <FormOutcomeLine outcome={outcome} />
    </div>
  );
}

describe('useApiAction', () => {
  test('shows a failed call as an alert and a returned text as a status', async () => {
    stubFetch(() => Response.json({ error: { code: 'conflict', message: 'That name is taken.' } }, { status: 409 }));
    const { unmount } = render(<Probe fn={async () => void (await callApi('/api/x', { method: 'POST', body: {} }))} />);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Go' })));
    expect((await screen.findByRole('alert')).textContent).toBe('That name is taken.');
    unmount();

    stubFetch(() => Response.json({ ok: true }));
    render(<Probe fn={async () => (await callApi('/api/x'), 'Saved.')} />);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Go' })));
    expect((await screen.findByRole('status')).textContent).toBe('Saved.');
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
