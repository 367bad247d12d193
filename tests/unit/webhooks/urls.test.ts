// Which origin the webhook URLs carry, and their exact shape.
import { describe, expect, test } from 'vitest';
import { buildWebhookUrls, publicOrigin } from '@/lib/webhooks/urls';
import { presentedWebhookSecrets } from '@/lib/webhooks/auth';

const get = (url: string, headers: Record<string, string> = {}) => new Request(url, { headers });

describe('publicOrigin', () => {
  test('PUBLIC_URL wins over whatever the request addressed (its path is not part of the origin)', () => {
    expect(publicOrigin(get('http://localhost:3000/api/webhooks', { host: 'localhost:3000' }), 'https://marquee.example.com/some/page')).toBe('https://marquee.example.com');
  });

  test('without PUBLIC_URL: the Host header, with X-Forwarded-Proto when a trusted proxy passed it on', () => {
    expect(publicOrigin(get('http://localhost:3000/api/webhooks', { host: '192.168.1.20:3000' }), undefined)).toBe('http://192.168.1.20:3000');
    expect(publicOrigin(get('http://localhost:3000/api/webhooks', { 'x-forwarded-host': 'media.example.org', 'x-forwarded-proto': 'https' }), undefined)).toBe('https://media.example.org');
  });

  test('a garbage Host falls back to the request URL', () => {
    expect(publicOrigin(get('http://localhost:3000/api/webhooks', { host: 'bad host/\\' }), undefined)).toBe('http://localhost:3000');
  });
});

test('buildWebhookUrls: one URL per sender, the secret as ?token=', () => {
  expect(buildWebhookUrls('https://m.example/', 'abc_-123')).toEqual({
    plex: 'https://m.example/api/webhooks/plex?token=abc_-123',
    jellyfin: 'https://m.example/api/webhooks/jellyfin?token=abc_-123',
    emby: 'https://m.example/api/webhooks/emby?token=abc_-123',
    sonarr: 'https://m.example/api/webhooks/sonarr?token=abc_-123',
    radarr: 'https://m.example/api/webhooks/radarr?token=abc_-123',
    lidarr: 'https://m.example/api/webhooks/lidarr?token=abc_-123',
    readarr: 'https://m.example/api/webhooks/readarr?token=abc_-123',
  });
});

test('presentedWebhookSecrets: the token and the Basic password (which may contain ":"), never the Basic user', () => {
  const basic = (v: string) => ({ authorization: `Basic ${Buffer.from(v).toString('base64')}` });
  expect(presentedWebhookSecrets(get('http://x/api/webhooks/sonarr?token=t1', basic('user:pa:ss')))).toEqual(['t1', 'pa:ss']);
  expect(presentedWebhookSecrets(get('http://x/api/webhooks/sonarr', basic('onlyuser:')))).toEqual([]);
  expect(presentedWebhookSecrets(get('http://x/api/webhooks/sonarr', { authorization: 'Bearer t2' }))).toEqual([]);
});
