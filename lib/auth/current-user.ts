// The only module that reads next/headers: the actor of the current page render or server action.
import 'server-only';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { actorFromSessionToken, metaFromHeaders, SESSION_COOKIES } from './session';
import type { RequestMeta, UserActor } from './actor';

export async function getPageActor(): Promise<UserActor | null> {
  const jar = await cookies();
  const token = SESSION_COOKIES.map((n) => jar.get(n)?.value).find(Boolean);
  return actorFromSessionToken(token);
}

/** For server components: the signed-in actor, or a redirect to /login (a UX nicety; data access checks again). */
export async function requirePageActor(opts: { allowPasswordChangeRequired?: boolean } = {}): Promise<UserActor> {
  const actor = await getPageActor();
  if (!actor) redirect('/login');
  if (actor.mustChangePassword && !opts.allowPasswordChangeRequired) redirect('/account/password');
  return actor;
}

export async function pageRequestMeta(): Promise<RequestMeta> {
  const h = await headers();
  return metaFromHeaders((name) => h.get(name));
}
