// The password policy: ≥ 12 characters with lower, upper, digit and symbol. Messages say what to fix.
export const MIN_PASSWORD_LENGTH = 12;

export function passwordProblems(password: string): string[] {
  const problems: string[] = [];
  if (password.length < MIN_PASSWORD_LENGTH) problems.push(`use at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > 256) problems.push('use at most 256 characters');
  if (!/[a-z]/.test(password)) problems.push('add a lowercase letter');
  if (!/[A-Z]/.test(password)) problems.push('add an uppercase letter');
  if (!/[0-9]/.test(password)) problems.push('add a digit');
  if (!/[^A-Za-z0-9]/.test(password)) problems.push('add a symbol');
  return problems;
}
