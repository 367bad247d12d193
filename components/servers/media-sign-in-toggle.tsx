'use client';
// Admin switch on a server's page: may this server's media users sign in to Marquee (as viewers
// who see only their own plays)? Turning it off also signs out those already signed in.
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { callApi, useApiAction } from '@/components/ui/api';
import { FormOutcomeLine } from '@/components/ui/form';

export function MediaSignInToggle({ serverId, type, initial }: { serverId: string; type: 'plex' | 'jellyfin' | 'emby'; initial: boolean }) {
  const router = useRouter();
  const [on, setOn] = useState(initial);
  const { outcome, pending, run } = useApiAction();
  const how = type === 'plex' ? 'with their Plex account ("Sign in with Plex" on the sign-in page)' : 'with their username and password on this server (checked by the server, never stored)';

  function toggle(next: boolean) {
    setOn(next);
    run(async () => {
      let res: { mediaUserSignIn: boolean };
      try {
        res = await callApi<{ mediaUserSignIn: boolean }>(`/api/servers/${serverId}`, { method: 'PATCH', body: { mediaUserSignIn: next } });
      } catch (err) {
        setOn(!next);
        throw err;
      }
      setOn(res.mediaUserSignIn);
      router.refresh();
      return res.mediaUserSignIn ? 'Media users can now sign in.' : 'Media-user sign-in is off; those signed in through this server were signed out.';
    });
  }

  return (
    <section aria-label="Media-user sign-in" className="space-y-2 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
      <label className="flex items-start gap-3 text-sm">
        <input type="checkbox" role="switch" className="mt-0.5 h-4 w-4" checked={on} disabled={pending} onChange={(e) => toggle(e.target.checked)} aria-describedby={`media-sign-in-${serverId}`} />
        <span>
          <span className="font-medium">Let this server’s media users sign in</span>
          <span id={`media-sign-in-${serverId}`} className="block text-zinc-600 dark:text-zinc-400">
            They sign in {how} and become viewers who see only their own history, stats and export.
          </span>
        </span>
      </label>
      <FormOutcomeLine outcome={outcome} />
    </section>
  );
}
