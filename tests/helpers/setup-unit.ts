// Unit tests run in node by default; a test that renders components opts into jsdom with
// `// @vitest-environment jsdom` on its first line.
import { afterEach } from 'vitest';

process.env.AUTH_SECRET ??= 'unit-test-auth-secret-0123456789abcdef';
process.env.ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString('base64');

afterEach(async () => {
  if (typeof document !== 'undefined') {
    const { cleanup } = await import('@testing-library/react');
    cleanup();
  }
});
