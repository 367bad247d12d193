import { describe, expect, test } from 'vitest';
import { generateRecoveryCodes, generateTotpSecret, hashRecoveryCode, totpCode, totpUri, verifyTotpCode } from '../../../lib/auth/totp';

describe('TOTP', () => {
  const secret = generateTotpSecret();
  const t0 = Date.UTC(2026, 0, 1, 12, 0, 0);

  test('the current code and one step of drift are accepted, older codes are not', () => {
    expect(verifyTotpCode(secret, totpCode(secret, t0), t0)).toBe(true);
    expect(verifyTotpCode(secret, totpCode(secret, t0 - 30_000), t0)).toBe(true);
    expect(verifyTotpCode(secret, totpCode(secret, t0 - 120_000), t0)).toBe(false);
  });

  test('malformed codes are rejected without throwing', () => {
    expect(verifyTotpCode(secret, 'abcdef', t0)).toBe(false);
    expect(verifyTotpCode(secret, '12345', t0)).toBe(false);
  });

  test('the otpauth URI carries issuer, account and secret for the QR code', () => {
    const uri = totpUri(secret, 'ann@example.test');
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(uri).toContain(`secret=${secret}`);
    expect(uri).toContain('issuer=Marquee');
  });

  test('10 distinct recovery codes; the hash ignores case and separators', () => {
    const codes = generateRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    expect(codes[0]).toMatch(/^[0-9a-f]{5}-[0-9a-f]{5}$/);
    expect(hashRecoveryCode(codes[0]!.toUpperCase().replace('-', ' '))).toBe(hashRecoveryCode(codes[0]!));
  });
});
