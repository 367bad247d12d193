#!/usr/bin/env bash
# `npm run dev`: the dev server comes up behind Marquee's own web server (health ok with a live
# worker), ignores a client-sent X-Forwarded-For, refuses an upload before its body and answers a
# malformed path with 400 JSON (check_front_door), keeps hot reload working, and SIGTERM stops every
# process it started.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/smoke-lib.sh
DB="marquee_devsmoke_$$"; PORT=${SMOKE_DEV_PORT:-3191}; DIR=$(mktemp -d); DIST=".next-devsmoke-$$"
URL="postgresql://postgres@127.0.0.1:5432/$DB"
psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $DB"
# Next adds the dist dir's type folders to tsconfig.json's include; put the file back afterwards.
cp tsconfig.json "$DIR/tsconfig.json.orig"
cleanup() {
  [ -n "${START:-}" ] && kill -TERM "$START" 2>/dev/null || true
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
  cp "$DIR/tsconfig.json.orig" tsconfig.json
  rm -rf "$DIR" "$DIST"
}
trap cleanup EXIT
export DATABASE_URL="$URL" DATA_DIR="$DIR" PORT="$PORT" HEARTBEAT_INTERVAL_S=2 LOG_LEVEL=warn NEXT_DIST_DIR="$DIST"
unset REDIS_URL
npm run dev > "$DIR/dev.log" 2>&1 & START=$!
wait_health "$PORT" '"db":"ok".*"worker":\{"status":"ok"' 300 \
  || { echo "dev smoke: health never turned ok"; tail -40 "$DIR/dev.log"; exit 1; }
grep -q '\[web\] listening' "$DIR/dev.log" || { echo "dev smoke: the dev server did not start behind scripts/web-server.ts"; exit 1; }
check_client_ip "$PORT" "$URL" || { tail -40 "$DIR/dev.log"; exit 1; }
check_front_door "$PORT" || { tail -40 "$DIR/dev.log"; exit 1; }
# Hot reload: Next attaches its HMR WebSocket (/_next/hmr) to our server's 'upgrade' event.
hmr=$(node -e '
  const req = require("node:http").request({ host: "127.0.0.1", port: process.argv[1], path: "/_next/hmr?id=smoke",
    headers: { Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==" } });
  req.on("upgrade", (res, socket) => { console.log(res.statusCode); socket.destroy(); process.exit(0); });
  req.on("response", (res) => { console.log(res.statusCode); process.exit(0); });
  req.on("error", (e) => { console.log(e.message); process.exit(0); });
  setTimeout(() => { console.log("no answer"); process.exit(0); }, 10000);
  req.end();' "$PORT")
echo "hot-reload WebSocket upgrade: $hmr"
[ "$hmr" = 101 ] || { echo "dev smoke: /_next/hmr did not upgrade"; tail -40 "$DIR/dev.log"; exit 1; }
kill -TERM "$START"
for i in $(seq 1 20); do kill -0 "$START" 2>/dev/null || break; sleep 1; done
if kill -0 "$START" 2>/dev/null; then echo "dev smoke: npm run dev still running 20 s after SIGTERM"; exit 1; fi
START=""
if curl -fsS "http://127.0.0.1:$PORT/api/health" >/dev/null 2>&1; then echo "dev smoke: web server still answering"; exit 1; fi
echo "dev smoke (npm run dev behind Marquee's web server): ok"
