// Webhook authentication: the install's secret as `?token=<secret>` or as the password of HTTP Basic
// (any user name: the *arr "Webhook" connection offers a username/password pair, media servers only a URL).
// It looks at the URL and headers only, never the body, so a receiver refuses a stranger before
// reading a byte of what it sent. Lives in lib/webhooks (not lib/http) because it needs the stored
// secret, and lib/http stays free of database access.
import { AppError } from '../http/errors';
import { findWebhookSecret, secretsMatch } from './secret';

export function invalidWebhookSecret(): AppError {
  return new AppError('invalid_webhook_secret', 'Missing or wrong webhook secret: use the URL shown on the Autoscan page (it carries ?token=…) or the secret as the HTTP Basic password.', {
    status: 401,
    headers: { 'www-authenticate': 'Basic realm="Marquee webhooks", charset="UTF-8"' },
  });
}

/** Every secret the request presents: the `token` query parameter and the Basic password. */
export function presentedWebhookSecrets(req: Pick<Request, 'url' | 'headers'>): string[] {
  const out: string[] = [];
  const token = new URL(req.url).searchParams.get('token');
  if (token) out.push(token);
  const basic = req.headers.get('authorization')?.match(/^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i);
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    // RFC 7617: user-id never contains ':', the password may; a value without ':' is a bare password.
    const password = colon >= 0 ? decoded.slice(colon + 1) : decoded;
    if (password) out.push(password);
  }
  return out;
}

/**
 * Throws 401 `invalid_webhook_secret` unless the request carries the current secret. Call it first
 * in a receiver, before reading the body.
 */
export async function authenticateWebhook(req: Pick<Request, 'url' | 'headers'>): Promise<void> {
  const presented = presentedWebhookSecrets(req);
  if (presented.length === 0) throw invalidWebhookSecret();
  const secret = await findWebhookSecret();
  if (!secret) throw invalidWebhookSecret();
  // Compare every candidate (no early exit), so timing does not tell which one was checked.
  let ok = false;
  for (const candidate of presented) ok = secretsMatch(candidate, secret) || ok;
  if (!ok) throw invalidWebhookSecret();
}
