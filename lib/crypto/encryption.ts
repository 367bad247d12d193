// AES-256-GCM encryption at rest for media-server tokens, API keys, TOTP secrets and HLS keys.
// Format: `v1.<keyId>.<iv b64url>.<tag b64url>.<ciphertext b64url>`. The key id lets keys rotate:
// decrypt looks the id up among the current and retired keys; encrypt always uses the current one.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { encryptionKey } from '../secrets';

export interface KeyRing {
  current: Buffer;
  retired?: Buffer[];
}

export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 8);
}

function defaultRing(): KeyRing {
  return { current: encryptionKey() };
}

export function encryptBytes(plain: Buffer, ring: KeyRing = defaultRing(), aad = ''): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', ring.current, iv);
  if (aad) cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(plain), cipher.final()]);
  const tag = cipher.getAuthTag();
  return ['v1', keyId(ring.current), iv.toString('base64url'), tag.toString('base64url'), ct.toString('base64url')].join('.');
}

export function decryptBytes(sealed: string, ring: KeyRing = defaultRing(), aad = ''): Buffer {
  const parts = sealed.split('.');
  if (parts.length !== 5 || parts[0] !== 'v1') throw new Error('not an encrypted value');
  const [, kid, iv, tag, ct] = parts as [string, string, string, string, string];
  const key = [ring.current, ...(ring.retired ?? [])].find((k) => keyId(k) === kid);
  if (!key) throw new Error(`encryption key ${kid} is not available`);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  if (aad) decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]);
}

export function encryptString(plain: string, ring?: KeyRing, aad?: string): string {
  return encryptBytes(Buffer.from(plain, 'utf8'), ring, aad);
}

export function decryptString(sealed: string, ring?: KeyRing, aad?: string): string {
  return decryptBytes(sealed, ring, aad).toString('utf8');
}

export function isEncrypted(value: string): boolean {
  return /^v1\.[\w-]{8}\.[\w-]+\.[\w-]+\.[\w-]*$/.test(value);
}
