import { redirect } from 'next/navigation';
import { isSetupNeeded } from '@/lib/auth/setup';
import { safeRedirectPath } from '@/lib/security/redirect';
import { LoginForm } from './login-form';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Sign in' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await isSetupNeeded()) redirect('/setup');
  const { callbackUrl } = await searchParams;
  // Only same-site paths: never redirect off Marquee after sign-in.
  return <LoginForm callbackUrl={safeRedirectPath(callbackUrl)} />;
}
