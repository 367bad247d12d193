// The post-sign-in redirect never leaves Marquee, however the callbackUrl is spelled.
import { describe, expect, it } from 'vitest';
import { safeRedirectPath } from '@/lib/security/redirect';

describe('safeRedirectPath', () => {
  it('keeps paths on this site with their query and hash', () => {
    expect(safeRedirectPath('/videos?q=cats#top')).toBe('/videos?q=cats#top');
    expect(safeRedirectPath('/admin/users')).toBe('/admin/users');
  });

  it('refuses anything a browser would resolve to another site', () => {
    for (const raw of ['https://evil.example/', '//evil.example', '/\\evil.example', '/\t/evil.example', '\\\\evil.example', 'javascript:alert(1)', '', undefined, null]) {
      expect(safeRedirectPath(raw)).toBe('/');
    }
  });
});
