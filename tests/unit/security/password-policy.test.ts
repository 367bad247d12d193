import { describe, expect, test } from 'vitest';
import { commonPasswords, isCommonPassword, passwordProblems } from '../../../lib/auth/password-policy';

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
