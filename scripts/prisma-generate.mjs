// Generates the Prisma client without the schema engine: the Prisma CLI tries to download that
// engine before any command, which cannot work offline, and `generate` never uses it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('prisma/schema')) process.exit(0);
const res = spawnSync('npx', ['prisma', 'generate'], {
  stdio: 'inherit',
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/false', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
});
process.exit(res.status ?? 1);
