// GET|POST /api/auth/*: next-auth (credentials sign-in, sign-out, session, CSRF token)
import NextAuth from 'next-auth';
import { authOptions } from '@/lib/auth/options';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ nextauth: string[] }> };
async function handler(req: Request, ctx: Ctx) {
  return NextAuth(req as never, ctx as never, authOptions()) as Promise<Response>;
}

export { handler as GET, handler as POST };
