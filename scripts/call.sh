#!/usr/bin/env bash
# npm run call: a simulated Twilio caller for the service `npm run demo` runs (same simulated Twilio settings).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/demo-env.sh
exec node -r ts-node/register/transpile-only src/simulator/call.cli.ts "$@"
