#!/usr/bin/env bash
# A database outage must not flood the worker's log: the worker runs on its own database, which
# then refuses connections for 20 s while the heartbeat (every 1 s) and the server poll keep
# failing. Each repeating error may appear at most twice (first occurrence, then the per-minute
# summary with its count) — before lib/logger.ts held repeats back it was ~45 stack traces.
set -euo pipefail
cd "$(dirname "$0")/.."
DB="marquee_outage_$$"; URL="postgresql://postgres@127.0.0.1:5432/$DB"; DIR=$(mktemp -d)
psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $DB"
cleanup() {
  [ -n "${W:-}" ] && kill -TERM "$W" 2>/dev/null || true
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
  rm -rf "$DIR"
}
trap cleanup EXIT
DATABASE_URL="$URL" npx tsx scripts/db-migrate.ts deploy > /dev/null
export DATABASE_URL="$URL" HEARTBEAT_INTERVAL_S=1 POLL_INTERVAL_S=2 NODE_ENV=production LOG_LEVEL=warn DATA_DIR="$DIR"
unset REDIS_URL
node --import tsx workers/index.ts > "$DIR/worker.log" 2>&1 & W=$!
sleep 8
psql -q -h 127.0.0.1 -U postgres -d postgres -c "ALTER DATABASE $DB ALLOW_CONNECTIONS false" \
  -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '$DB'" > /dev/null
sleep 20
psql -q -h 127.0.0.1 -U postgres -d postgres -c "ALTER DATABASE $DB ALLOW_CONNECTIONS true" > /dev/null
sleep 3
kill -TERM "$W"; wait "$W" || true; W=""
counts=$(grep -o '"msg":"[^"]*"' "$DIR/worker.log" | sort | uniq -c || true)
echo "worker log during a 20 s database outage ($(grep -c . "$DIR/worker.log") lines):"
echo "$counts"
[ -n "$counts" ] || { echo "outage smoke: the worker logged nothing about the outage"; exit 1; }
if echo "$counts" | awk '$1 > 2 { bad = 1 } END { exit !bad }'; then
  echo "outage smoke: a repeating error was logged more than twice"; exit 1
fi
echo "outage log smoke: ok"
