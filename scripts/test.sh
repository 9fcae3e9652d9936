#!/usr/bin/env bash
# The whole test suite on a fresh machine: dependencies, Postgres and Redis, then unit and
# end-to-end tests (the web console's in headless Chromium). Each e2e file gets its own database (cloned from a per-run template) and
# its own Redis key prefix; everything is dropped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}" bash scripts/ensure-services.sh
bash scripts/ensure-browser.sh
npm run typecheck --silent
# The console's browser tests load the built page, as the service serves it.
npm run build:console --silent
# --forceExit: a handle some test failed to release must fail that test, not keep the run
# alive (on two cores Jest runs in band, where one leaked socket would hang it for good).
npx jest --ci --forceExit "$@"
