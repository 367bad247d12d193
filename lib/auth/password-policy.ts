// The password policy: ≥ 12 characters with lower, upper, digit and symbol, not a common password
// (offline list shipped in common-passwords.txt). Messages say what to fix.
import fs from 'node:fs';
import path from 'node:path';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

export function passwordProblems(password: string): string[] {
  // Length first: nothing below runs on an oversized input (the schemas cap it too).
  if (password.length > MAX_PASSWORD_LENGTH) return [`use at most ${MAX_PASSWORD_LENGTH} characters`];
  const problems: string[] = [];
  if (password.length < MIN_PASSWORD_LENGTH) problems.push(`use at least ${MIN_PASSWORD_LENGTH} characters`);
  if (!/[a-z]/.test(password)) problems.push('add a lowercase letter');
  if (!/[A-Z]/.test(password)) problems.push('add an uppercase letter');
  if (!/[0-9]/.test(password)) problems.push('add a digit');
  if (!/[^A-Za-z0-9]/.test(password)) problems.push('add a symbol');
  if (isCommonPassword(password)) problems.push('choose a less common password (this one is on a list of frequently used passwords)');
  return problems;
}

let common: Set<string> | undefined;

function listPath(): string {
  // cwd is the project root for `next start`, the worker and vitest; the module dir covers scripts.
  const fromCwd = path.join(process.cwd(), 'lib/auth/common-passwords.txt');
  if (fs.existsSync(fromCwd)) return fromCwd;
  return path.join(path.dirname(new URL(import.meta.url).pathname), 'common-passwords.txt');
}

export function commonPasswords(): Set<string> {
  if (!common) {
    const text = fs.readFileSync(listPath(), 'utf8');
    common = new Set(
      text
        .split('\n')
        .map((l) => l.trim().toLowerCase())
        .filter((l) => l && !l.startsWith('# ')),
    );
  }
  return common;
}

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '!': 'i', '3': 'e', '4': 'a', '@': 'a', '5': 's', $: 's', '7': 't', '8': 'b', '9': 'g', '+': 't' };

function deleet(s: string, one = 'i'): string {
  return s.replace(/[0134@5$789+!]/g, (c) => (c === '1' ? one : (LEET[c] ?? c)));
}

const isLetter = (c: number) => c >= 97 && c <= 122; // a-z

/**
 * The input without its leading (`start`) and/or trailing (`end`) run of characters other than a-z.
 * An index scan, linear in the length: the regex `/[^a-z]+$/` it replaces backtracks from every
 * position of a long non-letter run (quadratic: 40,000 characters took 1.4 s).
 */
export function trimNonLetters(s: string, sides: { start?: boolean; end?: boolean } = { start: true, end: true }): string {
  let i = 0;
  let j = s.length;
  if (sides.start) while (i < j && !isLetter(s.charCodeAt(i))) i++;
  if (sides.end) while (j > i && !isLetter(s.charCodeAt(j - 1))) j--;
  return s.slice(i, j);
}

/** Strips decoration people add to satisfy rules: leading/trailing digits and symbols. */
function strip(s: string): string {
  return trimNonLetters(s);
}

/** Variants of a password a guesser would try first; any of them on the list makes it common. */
export function passwordVariants(password: string): string[] {
  const lower = password.toLowerCase();
  const out = new Set<string>([lower, strip(lower)]);
  // Undo leetspeak only inside the word: trailing digits are usually a suffix, not letters.
  const core = trimNonLetters(lower, { end: true });
  const head = lower.slice(0, lower.length - trimNonLetters(lower, { start: true }).length);
  for (const one of ['i', 'l']) {
    const d = deleet(core.slice(head.length), one);
    out.add(d);
    out.add(strip(d));
    out.add(deleet(lower, one));
    out.add(strip(deleet(lower, one)));
  }
  return [...out].filter((v) => v.length >= 4);
}

export function isCommonPassword(password: string): boolean {
  const list = commonPasswords();
  return passwordVariants(password).some((v) => list.has(v) || hasDominantCommonPart(v, list));
}

/** A listed entry of ≥ 8 characters making up most of the password ("1qaz2wsx!QAZ", "xxpassword123x"). */
function hasDominantCommonPart(v: string, list: Set<string>): boolean {
  if (v.length > 64) return false;
  const min = Math.max(8, Math.ceil(v.length * 0.6));
  for (let len = v.length; len >= min; len--) {
    for (let i = 0; i + len <= v.length; i++) if (list.has(v.slice(i, i + len))) return true;
  }
  return false;
}
