// The pure parts of media-user sign-in: the cookie that binds a Plex PIN to one browser, the
// app.plex.tv link, and the client header Jellyfin/Emby get.
import { describe, expect, test } from 'vitest';
import { parsePinId, pinBound, plexPinCookieValue, plexPinSetCookie } from '@/lib/auth/media-sign-in';
import { mediaBrowserAuthorization, PlexTvClient } from '@/lib/media-servers/user-auth';

describe('the Plex PIN cookie', () => {
  test('binds exactly its PIN: another id, a forged or truncated signature, or no cookie are refused', () => {
    const value = plexPinCookieValue(4242);
    expect(pinBound(4242, value)).toBe(true);
    expect(pinBound(4243, value)).toBe(false);
    expect(pinBound(4243, `4243.${value.split('.')[1]}`)).toBe(false);
    expect(pinBound(4242, `${value}x`)).toBe(false);
    expect(pinBound(4242, value.slice(0, -2))).toBe(false);
    expect(pinBound(4242, '4242.')).toBe(false);
    expect(pinBound(4242, undefined)).toBe(false);
    expect(pinBound(4242, '')).toBe(false);
  });

  test('is HttpOnly, SameSite=Lax, limited to /api/auth, and Secure over https', () => {
    expect(plexPinSetCookie(7, false)).toMatch(/^marquee\.plex-pin=7\.[\w-]+; Path=\/api\/auth; HttpOnly; SameSite=Lax; Max-Age=1800$/);
    expect(plexPinSetCookie(7, true)).toMatch(/; Secure$/);
  });

  test('PIN ids are positive integers only', () => {
    expect(parsePinId('123')).toBe(123);
    expect(parsePinId(123)).toBe(123);
    for (const bad of ['', '0', '-1', '1.5', '12a', '9'.repeat(20), null, undefined, {}]) expect(parsePinId(bad)).toBeNull();
  });
});

test('the app.plex.tv link carries the client id, the code and the product', () => {
  expect(PlexTvClient.authUrl('marquee-abc', 'c0de')).toBe('https://app.plex.tv/auth#?clientID=marquee-abc&code=c0de&context%5Bdevice%5D%5Bproduct%5D=Marquee');
});

test('the MediaBrowser header names the client, device, device id and version (and the token when given)', () => {
  expect(mediaBrowserAuthorization('dev-1', '0.1.0')).toBe('MediaBrowser Client="Marquee", Device="Marquee", DeviceId="dev-1", Version="0.1.0"');
  expect(mediaBrowserAuthorization('dev-1', '0.1.0', 'tok')).toBe('MediaBrowser Client="Marquee", Device="Marquee", DeviceId="dev-1", Version="0.1.0", Token="tok"');
});
