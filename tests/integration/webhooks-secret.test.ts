// The install's webhook secret: GET /api/webhooks gives every sender's URL with
// the secret, admins only; POST /api/webhooks/rotate replaces it (audited, same-origin) and the old one
// stops authenticating at once; authenticateWebhook takes ?token= or HTTP Basic.
import { describe, expect, test } from 'vitest';
import { GET as getUrls } from '../../app/api/webhooks/route';
import { POST as rotate } from '../../app/api/webhooks/rotate/route';
import { db } from '../../lib/db';
import { toErrorResponse } from '../../lib/http/respond';
import { authenticateWebhook, getOrCreateWebhookSecret } from '../../lib/webhooks';
import { apiToken, authHeaders, createUser, req } from '../helpers/auth';

const noCtx = { params: Promise.resolve({}) } as never;
const SOURCES = ['plex', 'jellyfin', 'emby', 'sonarr', 'radarr', 'lidarr', 'readarr'];

async function urlsAs(user: { id: string }): Promise<Record<string, string>> {
  const res = await getUrls(req('/api/webhooks', { headers: await authHeaders(user) }), noCtx);
  expect(res.status).toBe(200);
  return ((await res.json()) as { urls: Record<string, string> }).urls;
}

function tokenOf(url: string): string {
  return new URL(url).searchParams.get('token')!;
}

/** The status authenticateWebhook answers for a request (200 = accepted). */
async function webhookStatus(url: string, headers: Record<string, string> = {}): Promise<{ status: number; code?: string }> {
  try {
    await authenticateWebhook(new Request(url, { method: 'POST', headers }));
    return { status: 200 };
  } catch (err) {
    const res = toErrorResponse(err);
    return { status: res.status, code: ((await res.json()) as { error: { code: string } }).error.code };
  }
}

const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

describe('GET /api/webhooks', () => {
  test('admin → 7 absolute URLs, one per sender, all carrying the same URL-safe secret', async () => {
    const admin = await createUser({ role: 'admin' });
    const urls = await urlsAs(admin);
    expect(Object.keys(urls).sort()).toEqual([...SOURCES].sort());
    const secret = tokenOf(urls.plex!);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    for (const source of SOURCES) {
      // authHeaders addresses http://localhost:3000 (PUBLIC_URL is not set in tests).
      expect(urls[source]).toBe(`http://localhost:3000/api/webhooks/${source}?token=${secret}`);
    }
    // Generated once (and its creation audited once): asking again gives the same URLs.
    expect(await urlsAs(admin)).toEqual(urls);
    expect(await db.auditLog.count({ where: { action: 'webhooks.secret_created', actorId: admin.id } })).toBe(1);
  });

  test('the secret is stored encrypted, never in clear', async () => {
    const secret = await getOrCreateWebhookSecret();
    const row = await db.setting.findUniqueOrThrow({ where: { key: 'webhook-secret' } });
    const stored = JSON.stringify(row.value);
    expect(stored).not.toContain(secret);
    expect((row.value as { sealed: string }).sealed).toMatch(/^v1\./);
  });

  test('the host the admin addressed is the origin when PUBLIC_URL is not set', async () => {
    const admin = await createUser({ role: 'admin' });
    const headers = await authHeaders(admin, { host: 'marquee.lan:8080', origin: 'http://marquee.lan:8080' });
    const res = await getUrls(new Request('http://marquee.lan:8080/api/webhooks', { headers }), noCtx);
    const { urls } = (await res.json()) as { urls: Record<string, string> };
    expect(urls.sonarr).toMatch(/^http:\/\/marquee\.lan:8080\/api\/webhooks\/sonarr\?token=/);
  });

  test('non-admins → 403 (the URLs are credentials), anonymous → 401', async () => {
    for (const role of ['staff', 'support', 'uploader', 'viewer'] as const) {
      const user = await createUser({ role });
      const res = await getUrls(req('/api/webhooks', { headers: await authHeaders(user) }), noCtx);
      expect(res.status, role).toBe(403);
      const body = await res.text();
      expect(body).not.toContain('token=');
    }
    expect((await getUrls(req('/api/webhooks'), noCtx)).status).toBe(401);
  });
});

describe('POST /api/webhooks/rotate', () => {
  test('gives new URLs; the old secret fails authenticateWebhook at once, the new one passes; audited', async () => {
    const admin = await createUser({ role: 'admin' });
    const before = await urlsAs(admin);
    expect((await webhookStatus(before.sonarr!)).status).toBe(200);

    const res = await rotate(req('/api/webhooks/rotate', { method: 'POST', headers: await authHeaders(admin, { 'user-agent': 'rotate-test' }) }), noCtx);
    expect(res.status).toBe(200);
    const after = ((await res.json()) as { urls: Record<string, string> }).urls;
    expect(Object.keys(after).sort()).toEqual([...SOURCES].sort());
    for (const source of SOURCES) expect(after[source]).not.toBe(before[source]);
    expect(await urlsAs(admin)).toEqual(after);

    expect(await webhookStatus(before.sonarr!)).toEqual({ status: 401, code: 'invalid_webhook_secret' });
    expect(await webhookStatus(before.plex!.replace('/plex?', '/plex?x=1&'))).toEqual({ status: 401, code: 'invalid_webhook_secret' });
    expect((await webhookStatus(after.sonarr!)).status).toBe(200);
    expect((await webhookStatus('http://localhost:3000/api/webhooks/radarr', basic('radarr', tokenOf(before.radarr!)))).status).toBe(401);

    const entry = await db.auditLog.findFirst({ where: { action: 'webhooks.secret_rotated', actorId: admin.id } });
    expect(entry).toMatchObject({ actorType: 'user', userAgent: 'rotate-test' });
    expect(JSON.stringify(entry?.detail ?? null)).not.toContain(tokenOf(after.plex!));
  });

  test('a cross-site cookie request is refused (CSRF); a Bearer token works', async () => {
    const admin = await createUser({ role: 'admin' });
    const before = await urlsAs(admin);
    const cross = await rotate(req('/api/webhooks/rotate', { method: 'POST', headers: await authHeaders(admin, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }) }), noCtx);
    expect(cross.status).toBe(403);
    expect(((await cross.json()) as { error: { code: string } }).error.code).toBe('csrf_failed');
    expect(await urlsAs(admin)).toEqual(before);

    const token = await apiToken(admin);
    const bearer = await rotate(req('/api/webhooks/rotate', { method: 'POST', headers: { authorization: `Bearer ${token}` } }), noCtx);
    expect(bearer.status).toBe(200);
  });

  test('non-admins → 403 and the secret is unchanged', async () => {
    const admin = await createUser({ role: 'admin' });
    const before = await urlsAs(admin);
    for (const role of ['staff', 'support', 'uploader', 'viewer'] as const) {
      const user = await createUser({ role });
      const res = await rotate(req('/api/webhooks/rotate', { method: 'POST', headers: await authHeaders(user) }), noCtx);
      expect(res.status, role).toBe(403);
    }
    expect(await urlsAs(admin)).toEqual(before);
  });
});

describe('authenticateWebhook', () => {
  test('accepts ?token=<secret> and HTTP Basic with any user name and the secret as password', async () => {
    const secret = await getOrCreateWebhookSecret();
    const base = 'http://localhost:3000/api/webhooks/sonarr';
    expect((await webhookStatus(`${base}?token=${secret}`)).status).toBe(200);
    expect((await webhookStatus(base, basic('sonarr', secret))).status).toBe(200);
    expect((await webhookStatus(base, basic('', secret))).status).toBe(200);
    expect((await webhookStatus(base, basic('anything at all', secret))).status).toBe(200);
    // A wrong Basic password does not spoil a right token, and the other way round.
    expect((await webhookStatus(`${base}?token=${secret}`, basic('u', 'wrong'))).status).toBe(200);
    expect((await webhookStatus(`${base}?token=wrong`, basic('u', secret))).status).toBe(200);
  });

  test('a wrong or missing secret → 401 invalid_webhook_secret with a Basic challenge', async () => {
    const secret = await getOrCreateWebhookSecret();
    const base = 'http://localhost:3000/api/webhooks/radarr';
    for (const [url, headers] of [
      [base, {}],
      [`${base}?token=`, {}],
      [`${base}?token=${secret.slice(0, -1)}`, {}],
      [`${base}?token=${secret}x`, {}],
      [`${base}?token=${secret.toUpperCase()}`, {}],
      [base, basic(secret, 'nope')], // the secret as the user name is not the password
      [base, { authorization: `Bearer ${secret}` }],
      [base, { authorization: 'Basic !!!' }],
    ] as [string, Record<string, string>][]) {
      expect(await webhookStatus(url, headers), `${url} ${JSON.stringify(headers)}`).toEqual({ status: 401, code: 'invalid_webhook_secret' });
    }
    const err = await authenticateWebhook(new Request(base)).then(() => null, (e: unknown) => e);
    expect(toErrorResponse(err).headers.get('www-authenticate')).toMatch(/^Basic /);
  });

  test('before any secret exists nothing authenticates; racing first uses agree on one secret', async () => {
    await db.setting.deleteMany({ where: { key: 'webhook-secret' } });
    expect(await webhookStatus('http://localhost:3000/api/webhooks/plex?token=anything')).toEqual({ status: 401, code: 'invalid_webhook_secret' });
    const secrets = await Promise.all(Array.from({ length: 8 }, () => getOrCreateWebhookSecret()));
    expect(new Set(secrets).size).toBe(1);
    expect((await webhookStatus(`http://localhost:3000/api/webhooks/plex?token=${secrets[0]}`)).status).toBe(200);
  });
});
