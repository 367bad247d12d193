import { describe, expect, test } from 'vitest';
import { commonPasswords, isCommonPassword, passwordProblems, passwordVariants, trimNonLetters } from '../../../lib/auth/password-policy';
import { setupSchema } from '../../../lib/auth/setup';
import { changePasswordSchema, createUserSchema, reauthSchema, resetPasswordSchema } from '../../../lib/users/schemas';

describe('password policy', () => {
  test('a long four-class uncommon password passes', () => {
    expect(passwordProblems('Vivid-Otter-Lamp-73')).toEqual([]);
  });

  test('each missing rule is named so the user knows what to fix', () => {
    expect(passwordProblems('short')).toEqual(
      expect.arrayContaining(['use at least 12 characters', 'add an uppercase letter', 'add a digit', 'add a symbol']),
    );
    expect(passwordProblems('ALLUPPERCASE1!')).toContain('add a lowercase letter');
  });

  test('the shipped list is substantial and lowercase', () => {
    const list = commonPasswords();
    expect(list.size).toBeGreaterThan(2000);
    expect([...list].every((p) => p === p.toLowerCase())).toBe(true);
    expect(list.has('password')).toBe(true);
  });

  test.each(['Password123!', 'PASSWORD123!!', 'P@ssw0rd2024!', 'Qwerty123456!', 'Welcome@12345', '1qaz2wsx!QAZ', 'Dr4g0n2024!!!!', 'Football2026!'])(
    '%s is rejected as common (case, leetspeak and suffix variants)',
    (pw) => {
      expect(isCommonPassword(pw)).toBe(true);
      expect(passwordProblems(pw).some((p) => p.includes('less common'))).toBe(true);
    },
  );

  test.each(['Vivid-Otter-Lamp-73', 'r7#Kq9!zWm2$Lp', 'Correct-Horse-42!battery'])('%s is not treated as common', (pw) => {
    expect(isCommonPassword(pw)).toBe(false);
  });
});

describe('oversized input', () => {
  const huge = 'Aa1!'.repeat(25_000); // 100,000 characters

  test('a 100,000-character password gets only the length problem (no other check runs on it)', () => {
    expect(passwordProblems(huge)).toEqual(['use at most 256 characters']);
    expect(passwordProblems('Aa1!'.repeat(64))).not.toContain('use at most 256 characters'); // exactly 256 is fine
  });

  test('every schema that takes a password caps it before the policy check', () => {
    const setup = setupSchema.safeParse({ email: 'x@example.test', name: 'X', password: huge });
    expect(setup.success).toBe(false);
    expect(setup.error!.issues[0]!.message).toBe('use at most 256 characters');
    expect(createUserSchema.safeParse({ email: 'x@example.test', name: 'X', role: 'viewer', password: huge }).success).toBe(false);
    expect(resetPasswordSchema.safeParse({ password: huge }).success).toBe(false);
    expect(changePasswordSchema.safeParse({ currentPassword: huge, newPassword: 'Vivid-Otter-Lamp-73' }).success).toBe(false);
    expect(changePasswordSchema.safeParse({ currentPassword: 'x', newPassword: huge }).success).toBe(false);
    expect(reauthSchema.safeParse({ password: huge }).success).toBe(false);
    expect(setupSchema.safeParse({ email: `${'a'.repeat(400)}@example.test`, name: 'X', password: 'Vivid-Otter-Lamp-73' }).success).toBe(false);
  });
});

describe('trimNonLetters (the linear replacement for /^[^a-z]+/ and /[^a-z]+$/)', () => {
  test('strips the leading and trailing runs of non a-z characters, either side or both', () => {
    expect(trimNonLetters('123!abc9x!!42')).toBe('abc9x');
    expect(trimNonLetters('123!abc9x!!42', { start: true })).toBe('abc9x!!42');
    expect(trimNonLetters('123!abc9x!!42', { end: true })).toBe('123!abc9x');
    expect(trimNonLetters('1234!!')).toBe('');
    expect(trimNonLetters('')).toBe('');
    expect(trimNonLetters('ABCdef')).toBe('def'); // a-z only: the policy lowercases first
  });

  test('agrees with the regexes it replaces, on long adversarial input too', () => {
    const samples = ['!!a!!', 'a', '1a2b3', `x${'1'.repeat(5000)}y${'2'.repeat(5000)}`, '9'.repeat(10_000), `${'!'.repeat(3000)}word${'#'.repeat(3000)}`];
    for (const s of samples) {
      expect(trimNonLetters(s)).toBe(s.replace(/^[^a-z]+/, '').replace(/[^a-z]+$/, ''));
      expect(trimNonLetters(s, { end: true })).toBe(s.replace(/[^a-z]*$/, ''));
    }
  });

  test('the common-password variants still undo decoration', () => {
    expect(passwordVariants('!!Password123!')).toContain('password');
  });
});
