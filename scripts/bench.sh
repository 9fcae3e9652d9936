#!/usr/bin/env bash
# npm run bench [-- options]: dependencies, Postgres and Redis, a fresh build, then the
# benchmark (bench/run-bench.ts; `npm run bench -- --help` lists the options). The bench makes
# its own database and Redis key prefix and removes them at the end.
# BENCH_SKIP_BUILD=1 reuses an existing dist/ (e.g. CI right after its own build).
set -euo pipefail
cd "$(dirname "$0")/.."

for argument in "$@"; do
  case "$argument" in
    --help|-h) exec node -r ts-node/register/transpile-only bench/run-bench.ts --help ;;
  esac
done

if [ -f scripts/install-deps.sh ]; then
  bash scripts/install-deps.sh
elif [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi

admin_url="${BENCH_POSTGRES_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if [ -f scripts/ensure-services.sh ]; then
  DATABASE_URL="$admin_url" REDIS_URL="${BENCH_REDIS_URL:-redis://127.0.0.1:6379}" bash scripts/ensure-services.sh
else
  for port in 5432 6379; do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "[bench] nothing listens on 127.0.0.1:$port (Postgres 5432, Redis 6379): start them first" >&2
      exit 1
    fi
  done
fi

if [ "${BENCH_SKIP_BUILD:-0}" != "1" ] || [ ! -f dist/main.js ]; then
  npm run build >&2
fi

exec node -r ts-node/register/transpile-only bench/run-bench.ts "$@"
