// The one Prisma client, shared by route handlers, server actions, pages and the worker.
// Created on first use, so importing this module never needs a database (e.g. during `next build`).
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@/generated/prisma/client';
import { databaseUrl } from './env';

function createClient() {
  const adapter = new PrismaPg({ connectionString: databaseUrl(), max: 10, connectionTimeoutMillis: 5_000 });
  // Secrets are omitted by default; the sign-in query opts back in with `omit: { passwordHash: false }`.
  return new PrismaClient({ adapter, omit: { user: { passwordHash: true, totpSecret: true } } });
}

type Client = ReturnType<typeof createClient>;
const globalForDb = globalThis as unknown as { marqueeDb?: Client };

function client(): Client {
  globalForDb.marqueeDb ??= createClient();
  return globalForDb.marqueeDb;
}

export const db: Client = new Proxy({} as Client, {
  get(_target, prop) {
    const c = client();
    const value = Reflect.get(c, prop, c) as unknown;
    return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(c) : value;
  },
});

export type Db = Client;
export type { Prisma } from '@/generated/prisma/client';
