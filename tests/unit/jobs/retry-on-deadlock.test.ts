// Several workers booting at once run pg-boss's createQueue/schedule concurrently, and PostgreSQL
// may pick one as a deadlock victim (seen in CI: a worker died on boot with "deadlock detected").
import { expect, test } from 'vitest';
import { retryOnDeadlock } from '../../../lib/jobs/boss';

const pgError = (code: string) => Object.assign(new Error(code === '40P01' ? 'deadlock detected' : 'boom'), { code });

test('a deadlock victim is run again until it succeeds', async () => {
  let calls = 0;
  const result = await retryOnDeadlock(async () => {
    calls += 1;
    if (calls < 3) throw pgError('40P01');
    return 'created';
  });
  expect(result).toBe('created');
  expect(calls).toBe(3);
});

test('any other error is thrown at once, and a deadlock that persists is thrown in the end', async () => {
  let calls = 0;
  await expect(retryOnDeadlock(async () => {
    calls += 1;
    throw pgError('42P07');
  })).rejects.toThrow('boom');
  expect(calls).toBe(1);

  calls = 0;
  await expect(retryOnDeadlock(async () => {
    calls += 1;
    throw pgError('40P01');
  }, 4)).rejects.toThrow('deadlock detected');
  expect(calls).toBe(4);
});
