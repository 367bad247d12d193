// Browser tests against the built app and worker, started exactly as a user would (`npm start`)
// on a fresh DATA_DIR with an embedded PostgreSQL. Debian's Chromium; no browser download.
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3100);
const dataDir = path.join(os.tmpdir(), `marquee-e2e-${port}`);
export const E2E_ADMIN = { email: 'admin@e2e.test', password: 'E2e-Admin-Passw0rd!' };

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${port}`,
    browserName: 'chromium',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--autoplay-policy=no-user-gesture-required',
      ],
    },
  },
  webServer: {
    command: `rm -rf ${dataDir} && npm start`,
    url: `http://127.0.0.1:${port}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
    env: {
      PORT: String(port),
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(port + 51_000 > 65_000 ? 54_400 : port + 51_000),
      ADMIN_EMAIL: E2E_ADMIN.email,
      ADMIN_PASSWORD: E2E_ADMIN.password,
      HEARTBEAT_INTERVAL_S: '2',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      // As behind a reverse proxy: the last X-Forwarded-For entry is the client (auth-proxy.spec.ts).
      // Browsers here send none, so the socket address is used as before.
      TRUST_PROXY: 'true',
    },
  },
});
