// `npx tsx bench/password-policy.ts [length]`: time of the password-policy building blocks on
// adversarial input (long runs of non-letters, the shape that made `/[^a-z]+$/` quadratic), next
// to the regex they replaced. Linear code doubles its time when the input doubles; quadratic code
// quadruples. passwordProblems itself refuses anything over 256 characters before any check.
import { passwordProblems, trimNonLetters } from '../lib/auth/password-policy';

const length = Number(process.argv[2] ?? 40_000);

function time(label: string, fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  const ms = performance.now() - t0;
  console.log(`${label.padEnd(46)} ${ms.toFixed(2).padStart(9)} ms`);
  return ms;
}

for (const n of [length / 2, length]) {
  // A letter, then n non-letters and one letter: every start position in the run fails late.
  const input = `a${'1!'.repeat(n / 2)}b${'2'.repeat(n)}`;
  console.log(`\ninput of ${input.length} characters`);
  time('trimNonLetters (index scan)', () => trimNonLetters(input));
  time('old: s.replace(/[^a-z]+$/, "")', () => input.replace(/^[^a-z]+/, '').replace(/[^a-z]+$/, ''));
  time('passwordProblems (length cap first)', () => passwordProblems(input));
}
