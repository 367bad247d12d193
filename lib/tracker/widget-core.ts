// The browser widget shared by the userscript and the bookmarklet: a small overlay (current item
// timer, item count, average against target) and keyboard shortcuts that send tracker events. Events
// are queued (persisted) and sent strictly in order; a network failure, 429 or 5xx keeps the event at
// the head of the queue and retries with backoff, while a 4xx answer (e.g. no open session) drops it
// so one bad event cannot block the rest.
// It is plain ES2017 source kept as a string: it runs in other sites' pages, outside our bundle.
export const WIDGET_CORE_SOURCE = String.raw`
function marqueeTracker(cfg) {
  if (window.__marqueeTracker) return window.__marqueeTracker;
  var keys = cfg.keys || { next: 'n', pause: 'p', undo: 'u', exit: 'x' };
  var byKey = {};
  byKey[keys.next] = 'NEXT'; byKey[keys.pause] = 'PAUSE'; byKey[keys.undo] = 'UNDO'; byKey[keys.exit] = 'EXIT';
  var queue = cfg.store.get('queue') || [];
  var st = cfg.store.get('state') || { items: 0, open: false, paused: false, currentStartedAt: null, pausedMs: 0, pausedAt: null, avgActiveMmss: null, targetMmss: '05:30', lastItemMmss: null };
  var sending = false, retryMs = 1000, message = '', retryTimer = null, stopped = false, askedToken = false;

  var box = document.createElement('div');
  box.setAttribute('data-marquee-tracker', '');
  box.setAttribute('role', 'status');
  box.style.cssText = 'position:fixed;right:12px;bottom:12px;z-index:2147483647;background:#111827;color:#f9fafb;font:13px/1.4 system-ui,sans-serif;padding:8px 12px;border-radius:8px;border:1px solid #374151;min-width:170px;opacity:.92';
  var timer = document.createElement('div'); timer.setAttribute('data-timer', ''); timer.style.cssText = 'font:600 20px/1.2 ui-monospace,monospace';
  var line = document.createElement('div');
  var note = document.createElement('div'); note.style.cssText = 'color:#fbbf24;font-size:12px';
  box.appendChild(timer); box.appendChild(line); box.appendChild(note);
  (document.body || document.documentElement).appendChild(box);

  function mmss(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    var m = Math.floor(s / 60); s = s % 60;
    return (m < 10 ? '0' : '') + m + ':' + (s < 10 ? '0' : '') + s;
  }
  function render() {
    var now = Date.now();
    if (st.open && st.currentStartedAt) {
      var start = Date.parse(st.currentStartedAt);
      var paused = st.pausedMs + (st.paused && st.pausedAt ? now - Date.parse(st.pausedAt) : 0);
      timer.textContent = (st.paused ? '⏸ ' : '') + mmss(now - start - paused);
    } else {
      timer.textContent = '--:--';
    }
    line.textContent = 'Items ' + st.items + ' · avg ' + (st.avgActiveMmss || '--:--') + ' / ' + (st.targetMmss || '--:--');
    line.setAttribute('data-items', String(st.items));
    note.textContent = message + (queue.length ? (message ? ' · ' : '') + queue.length + ' queued' : '');
  }
  function save() { cfg.store.set('queue', queue); cfg.store.set('state', st); }
  function apply(body) {
    st.items = body.items; st.open = body.open; st.paused = body.paused; st.currentStartedAt = body.currentStartedAt;
    st.pausedMs = body.pausedMs || 0; st.pausedAt = body.pausedAt;
    st.lastItemMmss = body.lastItemMmss; st.avgActiveMmss = body.avgActiveMmss; st.targetMmss = body.targetMmss;
  }
  function retryLater(ms) {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(flush, ms);
  }
  function flush() {
    if (stopped) return;
    if (sending || !queue.length) { render(); return; }
    if (!cfg.token() && cfg.askToken && !askedToken) { askedToken = true; cfg.askToken(); }
    if (!cfg.token()) { message = 'Set your Marquee token'; render(); return; }
    sending = true;
    var ev = queue[0];
    cfg.send(cfg.origin + '/api/tracker/events', ev, cfg.token()).then(function (res) {
      sending = false;
      if (res.status >= 200 && res.status < 300) {
        queue.shift(); apply(res.body); message = ''; retryMs = 1000;
      } else if (res.status === 429 || res.status >= 500) {
        message = res.status === 429 ? 'Slow down: retrying' : 'Server error: retrying';
        save(); render(); retryLater(Math.max(retryMs, (res.retryAfterS || 0) * 1000)); retryMs = Math.min(retryMs * 2, 30000);
        return;
      } else {
        queue.shift();
        message = (res.body && res.body.error && res.body.error.message) || ('Refused (' + res.status + ')');
      }
      save(); flush();
    }, function () {
      sending = false;
      message = 'Offline: will retry';
      save(); render(); retryLater(retryMs); retryMs = Math.min(retryMs * 2, 30000);
    });
  }
  function send(type) {
    queue.push({ type: type, timestamp: Date.now() });
    save(); flush();
  }
  function onKey(e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName || ''))) return;
    var type = byKey[(e.key || '').toLowerCase()];
    if (!type) return;
    e.preventDefault();
    send(type);
  }
  document.addEventListener('keydown', onKey, true);
  var ticker = setInterval(render, 1000);
  if (cfg.load) cfg.load(cfg.origin + '/api/tracker/current', cfg.token()).then(function (res) {
    if (res.status === 200 && res.body && !queue.length) { apply(res.body); save(); }
    render();
  }, function () { render(); });
  render(); flush();
  function stop() {
    stopped = true;
    document.removeEventListener('keydown', onKey, true);
    clearInterval(ticker); clearTimeout(retryTimer);
    if (box.parentNode) box.parentNode.removeChild(box);
    delete window.__marqueeTracker;
  }
  window.__marqueeTracker = { send: send, flush: flush, stop: stop, state: function () { return st; }, queue: function () { return queue; } };
  return window.__marqueeTracker;
}
`;

export const DEFAULT_WIDGET_KEYS = { next: 'n', pause: 'p', undo: 'u', exit: 'x' } as const;
export type WidgetKeys = { next: string; pause: string; undo: string; exit: string };

/** Transport + storage for a bookmarklet: fetch (CORS, token in the header) and localStorage. */
const FETCH_GLUE = String.raw`
function mqFetch(url, ev, token) {
  var ctl = typeof AbortController === 'function' ? new AbortController() : null;
  var t = ctl ? setTimeout(function () { ctl.abort(); }, 10000) : null;
  var init = ev ? { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token }, body: JSON.stringify(ev) } : { headers: { authorization: 'Bearer ' + token } };
  if (ctl) init.signal = ctl.signal;
  init.credentials = 'omit';
  return fetch(url, init).then(function (r) {
    if (t) clearTimeout(t);
    return r.json().catch(function () { return null; }).then(function (b) { return { status: r.status, body: b, retryAfterS: Number(r.headers.get('retry-after')) || 0 }; });
  });
}
function mqStore(prefix) {
  return {
    get: function (k) { try { return JSON.parse(localStorage.getItem(prefix + k)); } catch (e) { return null; } },
    set: function (k, v) { try { localStorage.setItem(prefix + k, JSON.stringify(v)); } catch (e) {} }
  };
}
`;

/** A `javascript:` URL: the whole widget inline, configured with the app's origin and a tracker token. */
export function buildBookmarklet(origin: string, token: string, keys: WidgetKeys = DEFAULT_WIDGET_KEYS): string {
  const cfg = JSON.stringify({ origin, keys });
  const body = `${WIDGET_CORE_SOURCE}${FETCH_GLUE}
var c=${cfg};var tk=${JSON.stringify(token)};c.token=function(){return tk;};c.send=mqFetch;c.load=function(u,t){return mqFetch(u,null,t);};c.store=mqStore('marqueeTracker:');marqueeTracker(c);`;
  // Browsers percent-decode a javascript: URL and drop raw newlines, so the code goes in encoded.
  return `javascript:${encodeURIComponent(`(function(){${body}})();void 0`)}`;
}

export interface UserscriptOptions {
  origin: string;
  matches: string[];
  keys?: WidgetKeys;
  version: string;
}

/** The userscript (Tampermonkey/Violentmonkey): GM_xmlhttpRequest, so the host page's CSP and CORS do not apply. */
export function buildUserscript(o: UserscriptOptions): string {
  const host = new URL(o.origin).hostname;
  const header = [
    '// ==UserScript==',
    '// @name         Marquee tracker',
    `// @namespace    ${o.origin}`,
    `// @version      ${o.version}`,
    '// @description  Press N (next), P (pause), U (undo), X (exit) to track your pace in Marquee.',
    ...o.matches.map((m) => `// @match        ${m}`),
    `// @connect      ${host}`,
    `// @downloadURL  ${o.origin}/tracker/widget.user.js`,
    `// @updateURL    ${o.origin}/tracker/widget.user.js`,
    '// @grant        GM_xmlhttpRequest',
    '// @grant        GM_getValue',
    '// @grant        GM_setValue',
    '// @grant        GM_registerMenuCommand',
    '// @run-at       document-idle',
    '// @noframes',
    '// ==/UserScript==',
  ].join('\n');
  const cfg = JSON.stringify({ origin: o.origin, keys: o.keys ?? DEFAULT_WIDGET_KEYS });
  return `${header}
// Served by Marquee. Your API token is asked for once (use a "tracker only" token from the Tracker page)
// and kept in the userscript manager's storage, never in this file.
(function () {
  'use strict';
${WIDGET_CORE_SOURCE}
  function gmSend(url, ev, token) {
    return new Promise(function (resolve, reject) {
      GM_xmlhttpRequest({
        method: ev ? 'POST' : 'GET', url: url, timeout: 10000, anonymous: true,
        headers: ev ? { 'content-type': 'application/json', authorization: 'Bearer ' + token } : { authorization: 'Bearer ' + token },
        data: ev ? JSON.stringify(ev) : undefined,
        onload: function (r) {
          var body = null; try { body = JSON.parse(r.responseText); } catch (e) {}
          var ra = /retry-after:\s*(\d+)/i.exec(r.responseHeaders || '');
          resolve({ status: r.status, body: body, retryAfterS: ra ? Number(ra[1]) : 0 });
        },
        onerror: reject, ontimeout: reject, onabort: reject
      });
    });
  }
  var store = { get: function (k) { return GM_getValue(k, null); }, set: function (k, v) { GM_setValue(k, v); } };
  function askToken() {
    var t = window.prompt('Marquee tracker: paste your "tracker only" API token');
    if (t) { GM_setValue('token', t.trim()); }
    return GM_getValue('token', '');
  }
  if (typeof GM_registerMenuCommand === 'function') GM_registerMenuCommand('Set Marquee token', function () { askToken(); if (window.__marqueeTracker) window.__marqueeTracker.flush(); });
  var c = ${cfg};
  // Shortcuts are configurable: a "keys" value in the script's storage, e.g. { "next": "j", "pause": "k", "undo": "z", "exit": "q" }.
  c.keys = GM_getValue('keys', null) || c.keys;
  c.token = function () { return GM_getValue('token', '') || ''; };
  c.askToken = askToken;
  c.send = gmSend;
  c.load = function (u, t) { return t ? gmSend(u, null, t) : Promise.reject(new Error('no token')); };
  c.store = store;
  marqueeTracker(c);
})();
`;
}
