import { redirect } from 'next/navigation';
import { isSetupNeeded } from '@/lib/auth/setup';
import { mediaSignInOptions } from '@/lib/auth/media-sign-in';
import { safeRedirectPath } from '@/lib/security/redirect';
import { LoginForm } from './login-form';
import { MediaServerSignIn, PlexSignIn } from './media-sign-in';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Sign in' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await isSetupNeeded()) redirect('/setup');
  const { callbackUrl } = await searchParams;
  // Only same-site paths: never redirect off Marquee after sign-in.
  const target = safeRedirectPath(callbackUrl);
  // Media users sign in with their media server's account while an admin allows it (per server).
  const media = await mediaSignInOptions();
  return (
    <div className="space-y-6">
      <LoginForm callbackUrl={target} />
      {media.plex || media.servers.length ? (
        <div className="space-y-4 border-t border-zinc-200 pt-6 dark:border-zinc-800">
          <p className="text-center text-xs uppercase tracking-wide text-zinc-500">Or, if you watch on our media server</p>
          {media.plex ? <PlexSignIn callbackUrl={target} /> : null}
          {media.servers.length ? <MediaServerSignIn callbackUrl={target} servers={media.servers} /> : null}
        </div>
      ) : null}
    </div>
  );
}
