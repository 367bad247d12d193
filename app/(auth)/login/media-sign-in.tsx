'use client';

// Media-user sign-in on /login: "Sign in with Plex" (the plex.tv PIN flow) and the Jellyfin/Emby
// form (server, username, password; the server checks the password, Marquee never keeps it).
import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useRef, useState, useTransition } from 'react';
import { callApi, errorMessage } from '@/components/ui/api';
import { Field, FormError, buttonClass, inputClass } from '@/components/ui/form';

const MEDIA_FAILED = 'Invalid username or password.';
const RATE_LIMITED = 'Too many sign-in attempts. Wait a minute and try again.';
const PLEX_FAILED = 'That Plex account cannot sign in here: it is not a user of a Plex server that allows it.';
const POLL_MS = 2000;

const secondaryButton =
  'inline-flex w-full items-center justify-center gap-2 rounded-md border border-zinc-300 bg-white px-4 py-2 text-sm font-medium hover:bg-zinc-50 disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800';

export function PlexSignIn({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [waiting, setWaiting] = useState<{ id: number; authUrl: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);

  function stop() {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    setWaiting(null);
  }

  function poll(id: number, until: number) {
    timer.current = setTimeout(async () => {
      try {
        const status = await callApi<{ linked: boolean; expired: boolean }>(`/api/auth/plex/pins/${id}`);
        if (status.expired || Date.now() > until) {
          stop();
          setError('The Plex sign-in expired. Try again.');
          return;
        }
        if (!status.linked) return poll(id, until);
        const res = await signIn('plex', { pinId: String(id), redirect: false });
        stop();
        if (!res || res.error) {
          setError(res?.error === 'rate_limited' ? RATE_LIMITED : PLEX_FAILED);
          return;
        }
        router.replace(callbackUrl);
        router.refresh();
      } catch (err) {
        stop();
        setError(errorMessage(err));
      }
    }, POLL_MS);
  }

  function start() {
    setError(null);
    // Opened now, while the click still counts as a user gesture (popup blockers), and pointed at
    // plex.tv once the PIN exists.
    const popup = window.open('', 'marquee-plex-auth', 'width=600,height=700');
    startTransition(async () => {
      try {
        const pin = await callApi<{ id: number; authUrl: string }>('/api/auth/plex/pins', { method: 'POST' });
        if (popup) popup.location.href = pin.authUrl;
        setWaiting({ id: pin.id, authUrl: pin.authUrl });
        poll(pin.id, Date.now() + 30 * 60_000);
      } catch (err) {
        popup?.close();
        setError(errorMessage(err));
      }
    });
  }

  return (
    <div className="space-y-2">
      <button type="button" className={secondaryButton} onClick={start} disabled={pending || !!waiting}>
        <span aria-hidden className="inline-block h-3 w-3 rotate-45 bg-amber-500" />
        {waiting ? 'Waiting for Plex…' : 'Sign in with Plex'}
      </button>
      {waiting ? (
        <p className="text-xs text-zinc-500" role="status">
          Approve the sign-in in the Plex window.{' '}
          <a className="underline" href={waiting.authUrl} target="_blank" rel="noopener noreferrer">
            Open it again
          </a>{' '}
          ·{' '}
          <button type="button" className="underline" onClick={stop}>
            Cancel
          </button>
        </p>
      ) : null}
      <FormError message={error} />
    </div>
  );
}

export function MediaServerSignIn({ callbackUrl, servers }: { callbackUrl: string; servers: { id: string; name: string; type: 'jellyfin' | 'emby' }[] }) {
  const router = useRouter();
  const selectId = useId();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  // Folded until asked for: people with a Marquee account see one password field, not two.
  const [open, setOpen] = useState(false);
  const kinds = [...new Set(servers.map((s) => (s.type === 'emby' ? 'Emby' : 'Jellyfin')))].join(' / ');

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setError(null);
    startTransition(async () => {
      const res = await signIn('media', {
        serverId: String(form.get('serverId') ?? ''),
        username: String(form.get('username') ?? ''),
        password: String(form.get('password') ?? ''),
        redirect: false,
      });
      if (!res || res.error) {
        setError(res?.error === 'rate_limited' ? RATE_LIMITED : MEDIA_FAILED);
        return;
      }
      router.replace(callbackUrl);
      router.refresh();
    });
  }

  if (!open) {
    return (
      <button type="button" className={secondaryButton} onClick={() => setOpen(true)} aria-expanded={false}>
        {`Sign in with ${kinds}`}
      </button>
    );
  }

  return (
    <form onSubmit={onSubmit} className="space-y-3" aria-label={`Sign in with ${kinds}`} noValidate>
      <h2 className="text-sm font-semibold">{`Sign in with your ${kinds} account`}</h2>
      <div className={servers.length > 1 ? 'space-y-1' : 'hidden'}>
        <label htmlFor={selectId} className="block text-sm font-medium">
          Server
        </label>
        <select id={selectId} name="serverId" className={inputClass} defaultValue={servers[0]?.id}>
          {servers.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      {servers.length === 1 ? <p className="text-xs text-zinc-500">Server: {servers[0]!.name}</p> : null}
      <Field label="Username" name="username" autoComplete="off" required autoFocus />
      <Field label="Password" name="password" type="password" autoComplete="off" />
      <FormError message={error} />
      <button type="submit" className={`${buttonClass} w-full`} disabled={pending}>
        {pending ? 'Signing in…' : `Sign in with ${kinds}`}
      </button>
    </form>
  );
}
