import { requirePageActor } from '@/lib/auth/current-user';
import { ChangePasswordForm } from '@/components/account/change-password-form';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Change your password' };

// The forced password change (accounts created or reset by an admin): outside the console layout,
// which would otherwise redirect here again.
export default async function ForcedPasswordPage() {
  const actor = await requirePageActor({ allowPasswordChangeRequired: true });
  return (
    <div className="space-y-4">
      <h1 className="text-lg font-semibold">Choose a new password</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        {actor.mustChangePassword
          ? 'An administrator set a temporary password for your account. Choose your own before continuing.'
          : 'Change the password you sign in with.'}
      </p>
      <ChangePasswordForm email={actor.email} redirectTo="/" />
    </div>
  );
}
