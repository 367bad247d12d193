// The message of an API error response (`{ error: { message } }`), for the servers screens.
export async function apiErrorMessage(res: Response, fallback = `Request failed (${res.status}).`): Promise<string> {
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  return body?.error?.message ?? fallback;
}

/** What the screens show when the request itself failed (network down, Marquee restarting). */
export const NETWORK_ERROR = 'Could not reach Marquee. Check the connection and try again.';
