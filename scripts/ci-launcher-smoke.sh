#!/usr/bin/env bash
# The production shape of `npm start`: DATABASE_URL + REDIS_URL, plus a second worker process on
# the same database. Checks health turns ok with 2 live workers, a client-sent X-Forwarded-For is
# ignored, the front door's checks (check_front_door), and SIGTERM stops everything.
set -euo pipefail
source "$(dirname "$0")/smoke-lib.sh"
DB="marquee_smoke_$$"; PORT=${SMOKE_PORT:-3190}; DIR=$(mktemp -d)
URL="postgresql://postgres@127.0.0.1:5432/$DB"
psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $DB"
cleanup() { psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true; rm -rf "$DIR"; }
trap cleanup EXIT
export DATABASE_URL="$URL" REDIS_URL=redis://127.0.0.1:6379 DATA_DIR="$DIR" PORT="$PORT" HEARTBEAT_INTERVAL_S=2 LOG_LEVEL=warn
npm start > "$DIR/start.log" 2>&1 & START=$!
npm run worker > "$DIR/worker.log" 2>&1 & WORKER=$!
wait_health "$PORT" '"status":"ok","db":"ok".*"workers":2' 240 \
  || { echo "launcher smoke: health never showed db ok with 2 workers"; tail -30 "$DIR/start.log"; exit 1; }
check_client_ip "$PORT" "$URL"
check_front_door "$PORT"
kill -TERM "$WORKER"; wait "$WORKER" || true
kill -TERM "$START"
for i in $(seq 1 20); do kill -0 "$START" 2>/dev/null || break; sleep 1; done
if kill -0 "$START" 2>/dev/null; then echo "launcher smoke: npm start still running 20 s after SIGTERM"; exit 1; fi
if curl -fsS "http://127.0.0.1:$PORT/api/health" >/dev/null 2>&1; then echo "launcher smoke: web server still answering"; exit 1; fi
echo "launcher smoke (DATABASE_URL + REDIS_URL, 2 workers): ok"
