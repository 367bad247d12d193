import { redirect } from 'next/navigation';
import { isSetupNeeded } from '@/lib/auth/setup';
import { SetupForm } from './setup-form';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Set up' };

export default async function SetupPage() {
  if (!(await isSetupNeeded())) redirect('/login');
  return <SetupForm />;
}
