// GET /api/openapi.json: every route file under app/api appears in `paths` with exactly
// the methods it exports (derived from the file tree, like the authorization matrix), request bodies
// come from the handlers' zod schemas, errors share one shape, and the security schemes are declared.
import { API_DIR, findRouteFiles } from '../helpers/api-routes';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { GET } from '../../app/api/openapi.json/route';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- walking a JSON document
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** app/api/servers/[id]/users/route.ts → /api/servers/{id}/users ([...path] → {path}; (groups) dropped). */
function openApiPath(file: string): string {
  const rel = path.relative(API_DIR, path.dirname(file)).split(path.sep).filter((s) => s && !/^\(.*\)$/.test(s));
  return ['/api', ...rel].join('/').replace(/\[(?:\.\.\.)?([^\]]+)\]/g, '{$1}');
}

const onDisk = await Promise.all(
  findRouteFiles(API_DIR).sort().map(async (file) => {
    const mod = (await import(file)) as Record<string, unknown>;
    return { file: path.relative(process.cwd(), file), path: openApiPath(file), methods: METHODS.filter((m) => typeof mod[m] === 'function').map((m) => m.toLowerCase()) };
  }),
);

function coverageProblems(disk: { file: string; path: string; methods: string[] }[], paths: Record<string, Json>): string[] {
  const problems: string[] = [];
  for (const r of disk) {
    const item = paths[r.path];
    if (!item) {
      problems.push(`${r.path} (${r.file}) is missing: add it to OPERATIONS in lib/openapi/operations.ts`);
      continue;
    }
    const documented = Object.keys(item).sort();
    if (documented.join() !== [...r.methods].sort().join()) problems.push(`${r.path}: exports ${r.methods.join(',')} but documents ${documented.join(',')}`);
  }
  const known = new Set(disk.map((r) => r.path));
  for (const p of Object.keys(paths)) if (!known.has(p)) problems.push(`${p} is documented but has no route file`);
  return problems;
}

const res = await GET();
const doc = (await res.json()) as Json;

describe('GET /api/openapi.json', () => {
  test('answers 200 with an OpenAPI 3.1 document, without authentication', async () => {
    const again = await GET();
    expect(again.status).toBe(200);
    expect(again.headers.get('content-type')).toMatch(/application\/json/);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'Marquee API', version: expect.any(String) });
  });

  test('every route file on disk is in `paths` with exactly its methods, and nothing else is', () => {
    const problems = coverageProblems(onDisk, doc.paths);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  test('a new route without an entry (or with a missing method) fails the check with a clear message', () => {
    const extra = [...onDisk, { file: 'app/api/forgotten/route.ts', path: '/api/forgotten', methods: ['get'] }];
    expect(coverageProblems(extra, doc.paths)).toEqual(['/api/forgotten (app/api/forgotten/route.ts) is missing: add it to OPERATIONS in lib/openapi/operations.ts']);
    const more = onDisk.map((r) => (r.path === '/api/tokens' ? { ...r, methods: [...r.methods, 'delete'] } : r));
    expect(coverageProblems(more, doc.paths)).toEqual(['/api/tokens: exports get,post,delete but documents get,post']);
    expect(coverageProblems(onDisk.filter((r) => r.path !== '/api/audit'), doc.paths)).toEqual(['/api/audit is documented but has no route file']);
  });

  test('the walk covers the tree (dynamic and catch-all segments included)', () => {
    const paths = onDisk.map((r) => r.path);
    expect(paths).toContain('/api/servers/{id}/users/{userId}/libraries');
    expect(paths).toContain('/api/videos/{id}/hls/{path}');
    expect(paths).toContain('/api/openapi.json');
  });

  test('path parameters are declared for every {segment}; operation ids are unique', () => {
    const ids = new Set<string>();
    for (const [p, item] of Object.entries(doc.paths as Record<string, Json>)) {
      const names = [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(item)) {
        const declared = (op.parameters as Json[]).filter((x) => x.in === 'path').map((x) => x.name);
        expect(declared, `${method} ${p}`).toEqual(names);
        expect(ids.has(op.operationId), `duplicate operationId ${op.operationId}`).toBe(false);
        ids.add(op.operationId);
        expect(Object.keys(op.responses).some((s) => /^2\d\d$/.test(s)), `${method} ${p} has a success response`).toBe(true);
      }
    }
  });

  test('request bodies are the handlers’ zod schemas', () => {
    const createServer = doc.paths['/api/servers'].post.requestBody.content['application/json'].schema;
    expect(createServer.type).toBe('object');
    expect(createServer.required).toEqual(expect.arrayContaining(['type', 'name', 'url', 'token']));
    expect(createServer.properties.type.enum).toEqual(['plex', 'jellyfin', 'emby']);
    const token = doc.paths['/api/tokens'].post.requestBody.content['application/json'].schema;
    expect(token.required).toEqual(['name']);
    expect(Object.keys(token.properties)).toEqual(expect.arrayContaining(['name', 'expiresAt']));
    const upload = doc.paths['/api/videos'].post.requestBody.content['multipart/form-data'].schema;
    expect(upload.required).toEqual(expect.arrayContaining(['file', 'title']));
    const audit = (doc.paths['/api/audit'].get.parameters as Json[]).map((x) => x.name);
    expect(audit).toEqual(expect.arrayContaining(['limit', 'cursor', 'action', 'actorId', 'from', 'to', 'order']));
    expect(doc.paths['/api/users/{id}'].patch.requestBody.content['application/json'].schema.properties.role.enum).toEqual(['admin', 'staff', 'support', 'uploader', 'viewer']);
  });

  test('errors share one shape and every non-public operation names its security and roles', () => {
    const err = doc.components.schemas.Error;
    expect(err.required).toEqual(['error']);
    expect(err.properties.error.required).toEqual(['code', 'message']);
    expect(Object.keys(err.properties.error.properties)).toEqual(['code', 'message', 'details']);
    for (const r of Object.values(doc.components.responses as Record<string, Json>)) expect(r.content['application/json'].schema.$ref).toBe('#/components/schemas/Error');

    const schemes = doc.components.securitySchemes;
    expect(schemes.sessionCookie).toMatchObject({ type: 'apiKey', in: 'cookie' });
    expect(schemes.bearerToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(schemes.webhookBasic).toMatchObject({ type: 'http', scheme: 'basic' });
    expect(schemes.webhookToken).toMatchObject({ type: 'apiKey', in: 'query' });

    for (const [p, item] of Object.entries(doc.paths as Record<string, Json>)) {
      for (const [method, op] of Object.entries(item)) {
        for (const ref of Object.values(op.responses as Record<string, Json>).map((r) => r.$ref).filter(Boolean)) {
          expect(doc.components.responses[String(ref).split('/').pop()!], `${method} ${p} → ${ref}`).toBeDefined();
        }
        for (const s of op.security as Json[]) for (const name of Object.keys(s)) expect(schemes[name], `${method} ${p} uses ${name}`).toBeDefined();
        if ((op.security as Json[]).length) expect(op.responses['401'], `${method} ${p} documents 401`).toBeDefined();
      }
    }
    expect(doc.paths['/api/users'].get['x-roles']).toEqual(['admin']);
    expect(doc.paths['/api/users'].get.security).toEqual([{ sessionCookie: [] }, { bearerToken: [] }]);
    expect(doc.paths['/api/health'].get.security).toEqual([]);
  });
});
