import { requirePageActor } from '@/lib/auth/current-user';
import { getAccount } from '@/lib/users';
import { listApiTokens } from '@/lib/auth/tokens';
import { remainingRecoveryCodes } from '@/lib/auth/totp';
import { PageHeader } from '@/components/ui/page-header';
import { ChangePasswordForm } from '@/components/account/change-password-form';
import { TotpSection } from '@/components/account/totp-section';
import { TokensSection } from '@/components/account/tokens-section';
import { ProfileForm } from '@/components/account/profile-form';
import { ReauthDialog } from '@/components/account/reauth-dialog';
import { mediaAccountOf } from '@/lib/auth/media-sign-in';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Account' };

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="rounded-xl border border-zinc-200 p-6 dark:border-zinc-800" aria-label={title}>
      <h2 className="mb-4 text-lg font-semibold">{title}</h2>
      {children}
    </section>
  );
}

export default async function AccountPage() {
  const actor = await requirePageActor();
  const [account, tokens, codesLeft, media] = await Promise.all([getAccount(actor), listApiTokens(actor), remainingRecoveryCodes(actor.id), mediaAccountOf(actor.id)]);
  return (
    <div className="max-w-3xl space-y-6">
      <PageHeader title="Account" />
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        {media ? `Signed in with your ${media.serverType === 'plex' ? 'Plex' : media.serverType === 'emby' ? 'Emby' : 'Jellyfin'} account${media.serverName ? ` (${media.serverName})` : ''}` : account.email} · {account.role}
      </p>
      <Section title="Profile">
        <ProfileForm name={account.name} timezone={account.timezone} />
      </Section>
      {media ? (
        // No Marquee password: the media server checks who they are (its password, its two-factor).
        <Section title="Password">
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            This account has no Marquee password: you sign in through your media server, so your password (and any
            two-factor authentication) is managed there.
          </p>
        </Section>
      ) : (
        <>
          <Section title="Password">
            <ChangePasswordForm email={account.email} />
          </Section>
          <Section title="Two-factor authentication">
            <TotpSection enabled={account.totpEnabled} recoveryCodesLeft={codesLeft} />
          </Section>
        </>
      )}
      <Section title="API tokens">
        <TokensSection initial={JSON.parse(JSON.stringify(tokens))} />
      </Section>
      <ReauthDialog />
    </div>
  );
}
