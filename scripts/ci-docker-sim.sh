#!/usr/bin/env bash
# Docker does not run on the CI machines, so this replays the Dockerfile's runtime stage by hand:
# the build stage (install, `npm run build`, `npm prune --omit=dev`) in a clean copy of the
# repository, then exactly the files the Dockerfile's `COPY --from=build` lines name into an empty
# folder, then docker-entrypoint.sh `web` and `worker` from there against PostgreSQL. It proves the
# image's file list and production dependencies are enough to migrate, serve and work.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/scripts/smoke-lib.sh"
WORK=$(mktemp -d); BUILD="$WORK/build"; APP="$WORK/app"; DATA="$WORK/data"
DB="marquee_dockersim_$$"; PORT=${SMOKE_DOCKER_PORT:-3192}
URL="postgresql://postgres@127.0.0.1:5432/$DB"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  sleep 1
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# Build stage: the repository's tracked files (what `COPY . .` sees once .dockerignore drops the
# local node_modules, .next and data).
mkdir -p "$BUILD"
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$BUILD")
cd "$BUILD"
# The Dockerfile's own `RUN npm …` lines (deps stage install, build stage build + prune), in order.
grep -E '^RUN npm ' "$ROOT/Dockerfile" | sed 's/^RUN //' > "$WORK/build-steps.sh"
cat "$WORK/build-steps.sh"
NEXT_TELEMETRY_DISABLED=1 bash -e "$WORK/build-steps.sh" > "$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log"; exit 1; }

# Runtime stage: only what the Dockerfile copies.
mkdir -p "$APP" "$DATA"
grep -E '^COPY --from=build' "$ROOT/Dockerfile" | while read -r line; do
  # COPY --from=build [--chown=…] <src>… <dest>
  read -ra words <<< "$line"
  args=()
  for w in "${words[@]:1}"; do [[ $w == --* ]] || args+=("$w"); done
  dest=${args[-1]}; unset 'args[-1]'
  for src in "${args[@]}"; do
    rel=${src#/app/}
    if [[ $dest == ./ ]]; then cp -a "$BUILD/$rel" "$APP/"; else cp -a "$BUILD/$rel" "$APP/${dest#./}"; fi
  done
done
cp "$ROOT/docker-entrypoint.sh" "$APP/"
echo "runtime tree: $(cd "$APP" && ls | tr '\n' ' ')"

psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $DB"
cd "$APP"
export NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT="$PORT" HOST=127.0.0.1 DATA_DIR="$DATA" DATABASE_URL="$URL" \
  AUTH_SECRET=$(openssl rand -base64 32) ENCRYPTION_KEY=$(openssl rand -base64 32) HEARTBEAT_INTERVAL_S=2 LOG_LEVEL=warn
unset REDIS_URL
sh docker-entrypoint.sh web > "$WORK/web.log" 2>&1 & PIDS+=($!)
sh docker-entrypoint.sh worker > "$WORK/worker.log" 2>&1 & PIDS+=($!)
if ! wait_health "$PORT" '"db":"ok".*"worker":\{"status":"ok"' 120; then
  echo "docker sim: the runtime tree did not come up"; echo "--- web"; tail -30 "$WORK/web.log"; echo "--- worker"; tail -30 "$WORK/worker.log"; exit 1
fi
code=$(curl -sL -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/login")
[ "$code" = 200 ] || { echo "docker sim: /login (then /setup) answered $code"; tail -30 "$WORK/web.log"; exit 1; }
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/robots.txt")
[ "$code" = 200 ] || { echo "docker sim: /robots.txt (public/) answered $code"; exit 1; }
echo "docker sim (Dockerfile runtime stage: entrypoint web + worker, production dependencies only): ok"
