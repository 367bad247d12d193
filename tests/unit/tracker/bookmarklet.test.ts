// @vitest-environment jsdom
// The bookmarklet's widget in a page: shortcuts become events sent with the Bearer token (never
// cookies), presses made while the network is down wait in a queue and go out in order.
import { afterEach, expect, test, vi } from 'vitest';
import { buildBookmarklet } from '../../../lib/tracker/widget-core';

type Sent = { url: string; init: RequestInit & { headers: Record<string, string> } };

afterEach(() => {
  vi.useRealTimers();
  (window as unknown as { __marqueeTracker?: { stop(): void } }).__marqueeTracker?.stop();
  localStorage.clear();
  document.body.innerHTML = '';
});

function answer(items: number) {
  return new Response(JSON.stringify({ sessionId: 's', items, open: true, paused: false, currentStartedAt: new Date().toISOString(), pausedMs: 0, pausedAt: null, lastItemMmss: '00:01', avgActiveMmss: '00:01', targetMmss: '05:30' }), { status: 200 });
}

function run(fetchImpl: (url: string, init: Sent['init']) => Promise<Response>) {
  vi.stubGlobal('fetch', fetchImpl);
  const code = decodeURIComponent(buildBookmarklet('https://marquee.example', 'mq_tok', { next: 'n', pause: 'p', undo: 'u', exit: 'x' }).slice('javascript:'.length));
  new Function(code)();
}

const key = (k: string, target: EventTarget = document.body) => target.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));

test('N sends NEXT to the app with the Bearer token and without cookies; the overlay shows the count', async () => {
  const sent: Sent[] = [];
  let n = 0;
  run(async (url, init) => {
    sent.push({ url, init });
    return url.endsWith('/events') ? answer(n++) : new Response(JSON.stringify({ open: false, items: 0 }), { status: 200 });
  });
  key('n');
  await vi.waitFor(() => expect(document.querySelector('[data-items]')?.getAttribute('data-items')).toBe('0'));
  const post = sent.find((s) => s.url === 'https://marquee.example/api/tracker/events')!;
  expect(post.init.method).toBe('POST');
  expect(post.init.headers.authorization).toBe('Bearer mq_tok');
  expect(post.init.credentials).toBe('omit');
  expect(JSON.parse(String(post.init.body))).toMatchObject({ type: 'NEXT', timestamp: expect.any(Number) });
  // A key typed into a field is text, not a shortcut.
  const input = document.body.appendChild(document.createElement('input'));
  key('x', input);
  await new Promise((r) => setTimeout(r, 20));
  expect(sent.filter((s) => s.url.endsWith('/events'))).toHaveLength(1);
});

test('while the network is down presses are queued, then sent in order', async () => {
  let down = true;
  const types: string[] = [];
  let n = 0;
  run(async (url, init) => {
    if (!url.endsWith('/events')) return new Response('{}', { status: 401 });
    if (down) throw new TypeError('Failed to fetch');
    types.push((JSON.parse(String(init.body)) as { type: string }).type);
    return answer(n++);
  });
  key('n');
  key('p');
  key('p');
  key('n');
  await vi.waitFor(() => expect(document.querySelector('[data-marquee-tracker]')!.textContent).toContain('4 queued'));
  expect(types).toEqual([]);
  down = false;
  await vi.waitFor(() => expect(types).toEqual(['NEXT', 'PAUSE', 'PAUSE', 'NEXT']), { timeout: 5000 });
  expect(JSON.parse(localStorage.getItem('marqueeTracker:queue')!)).toEqual([]);
});

test('a refused event (4xx) is dropped with its message so later presses still go out', async () => {
  const types: string[] = [];
  run(async (url, init) => {
    if (!url.endsWith('/events')) return new Response('{}', { status: 200 });
    const type = (JSON.parse(String(init.body)) as { type: string }).type;
    types.push(type);
    if (type === 'PAUSE') return new Response(JSON.stringify({ error: { code: 'no_active_session', message: 'No tracker session is open' } }), { status: 400 });
    return answer(0);
  });
  key('p');
  key('n');
  await vi.waitFor(() => expect(types).toEqual(['PAUSE', 'NEXT']));
  await vi.waitFor(() => expect(document.querySelector('[data-items]')?.getAttribute('data-items')).toBe('0'));
});
