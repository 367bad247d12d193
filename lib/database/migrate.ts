// Offline Prisma migrator built on the schema engine's WebAssembly build: the Prisma CLI needs a
// native engine it downloads at run time, which these machines (and many air-gapped installs) cannot.
// `createMigration` diffs the schema snapshot saved beside the newest migration against the current
// schema (no database, no shadow database); `deployMigrations` applies pending migrations and keeps
// the usual `_prisma_migrations` bookkeeping, so the Prisma CLI can take over wherever it works.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { env } from '../env';

const ROOT = process.cwd();
export const SCHEMA_DIR = path.join(ROOT, 'prisma', 'schema');
export const MIGRATIONS_DIR = path.join(ROOT, 'prisma', 'migrations');
const SNAPSHOT = 'schema.snapshot.prisma';

type Engine = {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string }>;
  applyMigrations(params: unknown): Promise<{ appliedMigrationNames: string[] }>;
};

/** The current schema, all files concatenated (generator/datasource blocks included once). */
export function readSchema(): string {
  return fs
    .readdirSync(SCHEMA_DIR)
    .filter((f) => f.endsWith('.prisma'))
    .sort((a, b) => (a === 'schema.prisma' ? -1 : b === 'schema.prisma' ? 1 : a.localeCompare(b)))
    .map((f) => `// ---- ${f}\n${fs.readFileSync(path.join(SCHEMA_DIR, f), 'utf8')}`)
    .join('\n');
}

async function loadEngine(schema: string, connectionString: string): Promise<Engine> {
  const require = createRequire(import.meta.url);
  const bgPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const se = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as Record<string, unknown> & {
    __wbg_set_wasm(exports: unknown): void;
    SchemaEngine: { new: (...args: unknown[]) => Promise<Engine> };
  };
  const wasm = path.join(path.dirname(bgPath), 'schema_engine_bg.wasm');
  const instance = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(wasm)), {
    './schema_engine_bg.js': se as unknown as WebAssembly.ModuleImports,
  });
  se.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
  const adapter = bindMigrationAwareSqlAdapterFactory(
    new PrismaPg({ connectionString }),
  );
  return se.SchemaEngine.new({ datamodels: [['schema.prisma', schema]] }, () => {}, adapter);
}

const filters = { externalTables: [], externalEnums: [] };

function migrationFolders(): string[] {
  if (!fs.existsSync(MIGRATIONS_DIR)) return [];
  return fs
    .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(MIGRATIONS_DIR, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort();
}

/** SQL that turns the newest migration's schema into the current schema ('' when nothing changed). */
export async function pendingSchemaSql(): Promise<string> {
  const schema = readSchema();
  const folders = migrationFolders();
  const last = folders.at(-1);
  const snapshotPath = last ? path.join(MIGRATIONS_DIR, last, SNAPSHOT) : undefined;
  // The engine opens a connection even for a pure schema-to-schema diff; it reads nothing from it.
  const engine = await loadEngine(schema, env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  const from =
    snapshotPath && fs.existsSync(snapshotPath)
      ? { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: fs.readFileSync(snapshotPath, 'utf8') }] }
      : { tag: 'empty' };
  // diff() prints the script through the engine's stdout hook; capture it.
  const chunks: string[] = [];
  const origWrite = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    return true;
  }) as typeof process.stdout.write;
  let result: { stdout?: string };
  try {
    result = (await engine.diff({
      from,
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: schema }] },
      script: true,
      exitCode: null,
      shadowDatabaseUrl: null,
      filters,
    })) as { stdout?: string };
  } finally {
    process.stdout.write = origWrite;
  }
  const sql = (result.stdout ?? chunks.join('')).trim();
  return /^-- This is an empty migration\.?$/.test(sql) ? '' : sql;
}

/** Writes prisma/migrations/<timestamp>_<name>/ with the SQL and a schema snapshot. */
export async function createMigration(name: string): Promise<string | null> {
  const sql = await pendingSchemaSql();
  if (!sql) return null;
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const folder = `${stamp}_${name.replace(/[^a-z0-9_]+/gi, '_').toLowerCase()}`;
  const dir = path.join(MIGRATIONS_DIR, folder);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'migration.sql'), `${sql}\n`);
  fs.writeFileSync(path.join(dir, SNAPSHOT), readSchema());
  const lock = path.join(MIGRATIONS_DIR, 'migration_lock.toml');
  if (!fs.existsSync(lock)) fs.writeFileSync(lock, 'provider = "postgresql"\n');
  return folder;
}

/** Applies every pending migration to the database; idempotent. */
export async function deployMigrations(connectionString: string): Promise<string[]> {
  const engine = await loadEngine(readSchema(), connectionString);
  const lockPath = path.join(MIGRATIONS_DIR, 'migration_lock.toml');
  const migrationsList = {
    baseDir: MIGRATIONS_DIR,
    shadowDbInitScript: '',
    lockfile: { path: 'migration_lock.toml', content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, 'utf8') : null },
    migrationDirectories: migrationFolders().map((folder) => ({
      path: folder,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok', value: fs.readFileSync(path.join(MIGRATIONS_DIR, folder, 'migration.sql'), 'utf8') },
      },
    })),
  };
  const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters });
  return appliedMigrationNames;
}
