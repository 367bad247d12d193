// The history migration turns free-text allowedMediaUsers into (server, media user) pairs where the
// name matches exactly one synced media user, and leaves ambiguous or unknown names as they were.
import { readFileSync, readdirSync } from 'node:fs';
import { expect, test } from 'vitest';
import { db } from '@/lib/db';
import { createUser } from '@/tests/helpers/auth';

const dir = readdirSync('prisma/migrations').find((d) => d.endsWith('_history'))!;
const sql = readFileSync(`prisma/migrations/${dir}/migration.sql`, 'utf8');
const update = sql.slice(sql.indexOf('UPDATE "User"'));

test('names matching one media user become pairs; ambiguous and unknown names stay', async () => {
  for (const [id, name] of [['mig-a', 'A'], ['mig-b', 'B']]) {
    await db.mediaServer.create({ data: { id: id!, type: 'jellyfin', name: name!, url: 'http://127.0.0.1:9', tokenEnc: 'x' } });
  }
  await db.mediaUser.createMany({
    data: [
      { serverId: 'mig-a', externalId: 'ext-alice', name: 'alice' },
      { serverId: 'mig-a', externalId: 'ext-sam-a', name: 'sam' },
      { serverId: 'mig-b', externalId: 'ext-sam-b', name: 'sam' },
    ],
  });
  const user = await createUser({ role: 'viewer', mediaUsers: ['alice', 'sam', 'nobody', 'mig-b:ext-sam-b'] });
  await db.$executeRawUnsafe(update);
  const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
  expect(after.allowedMediaUsers).toEqual(['mig-a:ext-alice', 'sam', 'nobody', 'mig-b:ext-sam-b']);
});
