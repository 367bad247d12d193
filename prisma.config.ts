import 'dotenv/config';
import { defineConfig } from 'prisma/config';

// The CLI is only used for `generate` (see scripts/prisma-generate.mjs); migrations run through
// scripts/db-migrate.ts, so no datasource URL is needed here.
export default defineConfig({
  schema: 'prisma/schema',
  migrations: { path: 'prisma/migrations' },
});
