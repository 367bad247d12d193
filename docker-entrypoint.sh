#!/bin/sh
# web: apply migrations, then serve. worker: run the pg-boss worker. Anything else: run it.
set -e
case "$1" in
  web)
    node --import tsx scripts/db-migrate.ts deploy
    exec node --import tsx scripts/web-server.ts
    ;;
  worker)
    exec node --import tsx workers/index.ts
    ;;
  *)
    exec "$@"
    ;;
esac
