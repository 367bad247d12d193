// Builds the OpenAPI 3.1 document served at GET /api/openapi.json from lib/openapi/operations.ts
// (request schemas are the handlers' own zod schemas, converted with z.toJSONSchema).
import { z } from 'zod';
import { appVersion } from '../version';
import { ROLES } from '../auth/actor';
import { OPERATIONS, type Body, type Operation } from './operations';

type Json = Record<string, unknown>;

const ERROR_TEXT: Record<number, string> = {
  400: 'Bad request (malformed JSON, missing header or parameter)',
  401: 'Not signed in, or the API token is missing, revoked or expired',
  403: 'Signed in, but the role (or a pending forced password change, or the CSRF check) does not allow it',
  404: 'Not found, or outside the servers the caller may see',
  409: 'Conflicts with the current state',
  410: 'Gone (an upload abandoned for 24 h, or whose data was lost)',
  413: 'Too large',
  415: 'Unsupported media type',
  422: 'Validation failed (the message names the field)',
  429: 'Rate limited (see Retry-After)',
  502: 'The media server answered badly or not at all',
  503: 'A dependency is down',
  507: 'Not enough free disk space: uploads are paused',
};

function schemaOf(s: z.ZodType): Json {
  const out = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Json;
  delete out.$schema;
  return out;
}

function queryParameters(q: z.ZodObject): Json[] {
  const schema = schemaOf(q) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, s]) => ({
    name,
    in: 'query',
    required: schema.required?.includes(name) ?? false,
    schema: s,
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
  }));
}

function requestBody(b: Body): Json {
  if (b.type === 'json') return { required: true, content: { 'application/json': { schema: schemaOf(b.schema) } } };
  if (b.type === 'binary') return { required: true, description: b.description, content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } };
  const schema = schemaOf(b.schema) as { properties?: Json; required?: string[] };
  for (const f of b.files) (schema.properties ??= {})[f] = { type: 'string', contentMediaType: 'application/octet-stream' };
  schema.required = [...new Set([...(schema.required ?? []), ...b.files])];
  return { required: true, content: { 'multipart/form-data': { schema } } };
}

const CONTENT: Record<string, Json | undefined> = {
  json: { 'application/json': { schema: {} } },
  csv: { 'text/csv': { schema: { type: 'string' } }, 'application/json': { schema: {} } },
  'event-stream': { 'text/event-stream': { schema: { type: 'string' } } },
  image: { 'image/*': { schema: { type: 'string', contentMediaType: 'image/*' } } },
  hls: {
    'application/vnd.apple.mpegurl': { schema: { type: 'string' } },
    'video/mp2t': { schema: { type: 'string' } },
    'application/octet-stream': { schema: { type: 'string' } },
  },
  html: { 'text/html': { schema: { type: 'string' } } },
  none: undefined,
};

function security(op: Operation): Json[] {
  switch (op.auth) {
    case 'public': return [];
    case 'user': return [{ sessionCookie: [] }, { bearerToken: [] }];
    case 'sealed': return [{ sessionCookie: [] }, { playbackToken: [] }];
    case 'webhook': return [{ webhookBasic: [] }, { webhookToken: [] }];
    case 'tautulli': return [{ tautulliApiKey: [] }];
  }
}

function operation(path: string, method: string, op: Operation): Json {
  const pathParams = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  const errors = new Set<number>(op.errors ?? []);
  if (op.body || op.query) [400, 422].forEach((s) => errors.add(s));
  if (op.auth !== 'public') [401, 403, 429].forEach((s) => errors.add(s));
  if (pathParams.length) errors.add(404);
  const responses: Json = {
    [String(op.success.status)]: {
      description: op.success.description ?? (op.success.type === 'none' ? 'Done (no body)' : 'Success'),
      ...(CONTENT[op.success.type ?? 'json'] ? { content: CONTENT[op.success.type ?? 'json'] } : {}),
    },
  };
  for (const s of [...errors].sort((a, b) => a - b)) responses[String(s)] = { $ref: `#/components/responses/E${s}` };
  const tag = path === '/api/openapi.json' ? 'meta' : (path.split('/')[2] ?? 'api');
  return {
    operationId: `${method}${path.replace(/\{([^}]+)\}/g, 'By-$1').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    summary: op.summary,
    tags: [tag],
    security: security(op),
    ...(op.auth === 'user' ? { 'x-roles': op.roles ?? ROLES } : {}),
    parameters: [...pathParams, ...(op.query ? queryParameters(op.query) : [])],
    ...(op.body ? { requestBody: requestBody(op.body) } : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document for every route in OPERATIONS. */
export function buildOpenApi(): Json {
  const paths: Json = {};
  for (const [path, methods] of Object.entries(OPERATIONS)) {
    const item: Json = {};
    for (const [method, op] of Object.entries(methods)) if (op) item[method] = operation(path, method, op);
    paths[path] = item;
  }
  const statuses = Object.keys(ERROR_TEXT).map(Number);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Marquee API',
      version: appVersion(),
      description:
        'JSON unless noted. Authenticate with the session cookie (browser; unsafe methods also need a same-origin request) or `Authorization: Bearer <api token>` (create one under Account → API tokens). ' +
        'Roles per operation are listed in `x-roles`. Errors are `{ "error": { "code", "message", "details"? } }`.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'next-auth.session-token', description: 'Browser session (`__Secure-next-auth.session-token` over HTTPS).' },
        bearerToken: { type: 'http', scheme: 'bearer', description: 'A personal API token (`mq_…`), sent as `Authorization: Bearer <token>`.' },
        webhookBasic: { type: 'http', scheme: 'basic', description: 'Webhooks: the per-install webhook secret as HTTP Basic (as the *arr UI offers); a bad secret → 401.' },
        webhookToken: { type: 'apiKey', in: 'query', name: 'token', description: 'Webhooks: the per-install webhook secret as `?token=`; a bad secret → 401.' },
        tautulliApiKey: { type: 'apiKey', in: 'query', name: 'apikey', description: 'Tautulli API v2 (/api/v2): an API token with the "Tautulli API" or full scope.' },
        playbackToken: { type: 'apiKey', in: 'query', name: 't', description: 'The short-lived sealed token carried by a playbackUrl.' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string', pattern: '^[a-z0-9_]+$', description: 'snake_case, stable' },
                message: { type: 'string', description: 'a human sentence' },
                details: { description: 'optional structured detail (e.g. the offending fields)' },
              },
            },
          },
        },
      },
      responses: Object.fromEntries(
        statuses.map((s) => [`E${s}`, { description: ERROR_TEXT[s], content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }]),
      ),
    },
  };
}
