// Secrets that must exist but need not be configured: generated once into DATA_DIR (mode 0600)
// and reused by every process that shares the folder. Env values always win.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { env } from './env';

export interface Secrets {
  authSecret: string;
  encryptionKey: string;
  /** Password of the embedded PostgreSQL superuser. */
  dbPassword: string;
}

const FILE = 'secrets.json';

export function secretsFile(dataDir = env.DATA_DIR): string {
  return path.resolve(dataDir, FILE);
}

/** Reads DATA_DIR/secrets.json, creating it (and any missing value) with fresh random secrets. */
export function loadOrCreateSecrets(dataDir = env.DATA_DIR): Secrets {
  const file = secretsFile(dataDir);
  let stored: Partial<Secrets> = {};
  if (fs.existsSync(file)) stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Secrets>;
  const full: Secrets = {
    authSecret: stored.authSecret ?? randomBytes(32).toString('base64url'),
    encryptionKey: stored.encryptionKey ?? randomBytes(32).toString('base64'),
    dbPassword: stored.dbPassword ?? randomBytes(18).toString('base64url'),
  };
  if (JSON.stringify(full) !== JSON.stringify(stored)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(full, null, 2), { mode: 0o600 });
    fs.renameSync(tmp, file);
  }
  fs.chmodSync(file, 0o600);
  return full;
}

let memo: Secrets | undefined;
function fileSecrets(): Secrets {
  memo ??= loadOrCreateSecrets();
  return memo;
}

export function authSecret(): string {
  return env.AUTH_SECRET ?? fileSecrets().authSecret;
}

/** The 32-byte at-rest encryption key. */
export function encryptionKey(): Buffer {
  const raw = env.ENCRYPTION_KEY ?? fileSecrets().encryptionKey;
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) throw new Error('ENCRYPTION_KEY must be 32 bytes (base64 or 64 hex characters)');
  return key;
}
