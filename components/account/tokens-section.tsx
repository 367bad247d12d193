'use client';

import { useState } from 'react';
import { Field, FormOutcomeLine, buttonClass } from '@/components/ui/form';
import { CopyButton } from '@/components/ui/copy-button';
import type { ApiTokenRow } from '@/lib/auth/tokens';
import { callApi, useApiAction, type Wire } from '@/components/ui/api';

export type TokenRow = Omit<Wire<ApiTokenRow>, 'scopes'> & { scopes?: string[] };

const fmt = (d: string | null) => (d ? new Date(d).toLocaleString() : '—');

export function TokensSection({ initial }: { initial: TokenRow[] }) {
  const [tokens, setTokens] = useState(initial);
  const [created, setCreated] = useState<{ name: string; token: string; scope: string } | null>(null);
  const { outcome, pending, run } = useApiAction();

  const reload = async () => setTokens((await callApi<{ tokens: TokenRow[] }>('/api/tokens')).tokens);

  return (
    <div className="space-y-4">
      <form
        className="grid gap-3 sm:grid-cols-[1fr_auto_auto_auto] sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          const el = e.currentTarget;
          const f = new FormData(el);
          const expires = String(f.get('expiresAt') ?? '');
          const scope = String(f.get('scope') ?? 'all');
          run(async () => {
            const res = await callApi<{ name: string; token: string }>('/api/tokens', {
              method: 'POST',
              body: { name: f.get('tokenName'), scopes: [scope], ...(expires ? { expiresAt: new Date(`${expires}T23:59:59`).toISOString() } : {}) },
            });
            setCreated({ ...res, scope });
            el.reset();
            await reload();
          });
        }}
      >
        <Field label="Token name" name="tokenName" required placeholder="e.g. backup script" />
        <Field label="Expires (optional)" name="expiresAt" type="date" />
        <label className="grid gap-1 text-sm">
          <span className="font-medium">Access</span>
          <select name="scope" defaultValue="all" className="rounded-md border border-zinc-300 bg-white px-3 py-2 dark:border-zinc-700 dark:bg-zinc-900">
            <option value="all">Everything I can do</option>
            <option value="tracker">Tracker only (widget)</option>
            <option value="tautulli">Tautulli API only (Home Assistant, LunaSea, Homepage)</option>
          </select>
        </label>
        <button type="submit" className={buttonClass} disabled={pending}>
          Create token
        </button>
      </form>
      {created ? (
        <div className="rounded-md border border-amber-300 bg-amber-50 p-4 text-sm dark:border-amber-700 dark:bg-amber-950" data-testid="new-token">
          <p className="font-medium">Copy “{created.name}” now — it will not be shown again.</p>
          <div className="mt-2 flex items-center gap-2">
            <code className="break-all font-mono">{created.token}</code>
            <CopyButton value={created.token} />
          </div>
          {created.scope === 'tautulli' ? <TautulliUrl token={created.token} /> : null}
        </div>
      ) : null}
      <FormOutcomeLine outcome={outcome} />
      {tokens.length === 0 ? (
        <p className="text-sm text-zinc-500">No tokens yet. Create one for scripts, the tracker widget or API clients (Authorization: Bearer …).</p>
      ) : (
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-zinc-500">
            <tr>
              <th className="py-2">Name</th>
              <th>Prefix</th>
              <th>Access</th>
              <th>Created</th>
              <th>Last used</th>
              <th>Expires</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id} className="border-t border-zinc-200 dark:border-zinc-800">
                <td className="py-2">{t.name}</td>
                <td className="font-mono">{t.prefix}…</td>
                <td>{t.scopes?.includes('all') === false ? `${t.scopes.join(', ')} only` : 'full'}</td>
                <td>{fmt(t.createdAt)}</td>
                <td>{fmt(t.lastUsedAt)}</td>
                <td>{fmt(t.expiresAt)}</td>
                <td className="text-right">
                  {t.revokedAt ? (
                    <span className="text-zinc-500">revoked</span>
                  ) : (
                    <button
                      type="button"
                      className="text-red-600 hover:underline dark:text-red-400"
                      onClick={() =>
                        confirm(`Revoke “${t.name}”? Scripts using it stop working.`) &&
                        run(async () => {
                          await callApi(`/api/tokens/${t.id}`, { method: 'DELETE' });
                          await reload();
                        })
                      }
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** Where a Tautulli client (Home Assistant, LunaSea, Homepage) points: Marquee's address, this token as the API key. */
function TautulliUrl({ token }: { token: string }) {
  const origin = typeof window === 'undefined' ? '' : window.location.origin;
  const url = `${origin}/api/v2?apikey=${encodeURIComponent(token)}&cmd=get_activity`;
  return (
    <div className="mt-3 space-y-1" data-testid="tautulli-url">
      <p>
        In a Tautulli client, use <span className="font-mono">{origin}</span> as the Tautulli address and this token as the API key. Test URL:
      </p>
      <div className="flex items-center gap-2">
        <code className="break-all font-mono text-xs">{url}</code>
        <CopyButton value={url} />
      </div>
    </div>
  );
}
