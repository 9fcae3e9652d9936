#!/usr/bin/env bash
# Runs the service on a fresh machine with the local voice agent provider, places one sample
# call through it, prints that call, and leaves the service running (Ctrl-C stops it).
#   --provider assemblyai   (default) the AssemblyAI Voice Agent wire; its local server without a key
#   --provider openai       the OpenAI Realtime wire; its local server without OPENAI_API_KEY
set -euo pipefail
cd "$(dirname "$0")/.."
provider=assemblyai
while [ $# -gt 0 ]; do
  case "$1" in
    --provider) provider="${2:-}"; shift 2 || { echo "--provider needs a value" >&2; exit 1; } ;;
    *) echo "usage: npm run demo [-- --provider assemblyai|openai]" >&2; exit 1 ;;
  esac
done
case "$provider" in
  assemblyai) ;;
  openai) export VOICE_AGENT_PROVIDER=openai ;;
  *) echo "--provider is assemblyai or openai" >&2; exit 1 ;;
esac
export PORT="${PORT:-3000}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/voice_agents}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
# The simulated agent thinks about as long as a real one before answering, so the sample call's turn latencies mean something.
export LOCAL_PROVIDER_REPLY_DELAY_MS="${LOCAL_PROVIDER_REPLY_DELAY_MS:-700}"
source scripts/demo-env.sh

bash scripts/install-deps.sh
bash scripts/ensure-services.sh
npm run build --silent

mkdir -p .run
node dist/main.js > .run/service.log 2>&1 &
service=$!
trap 'kill -TERM $service 2>/dev/null; wait $service 2>/dev/null' INT TERM EXIT

for _ in $(seq 1 120); do
  if curl -fs "http://127.0.0.1:$PORT/ready" >/dev/null 2>&1; then break; fi
  if ! kill -0 $service 2>/dev/null; then echo "The service stopped; see .run/service.log:" >&2; tail -20 .run/service.log >&2; exit 1; fi
  sleep 0.5
done
curl -fs "http://127.0.0.1:$PORT/ready" >/dev/null || { echo "The service did not become ready; see .run/service.log" >&2; exit 1; }
echo "Service ready on http://127.0.0.1:$PORT (logs: .run/service.log)."
echo "Web console: http://127.0.0.1:$PORT/console  (sign in with dev-supervisor-token-change-me, or dev-admin-token-change-me to edit agents)"
echo "Placing a sample call..."
echo
SERVICE_URL="http://127.0.0.1:$PORT" node -r ts-node/register/transpile-only src/simulator/call.cli.ts --provider "$provider" --script src/simulator/scripts/sample-call.txt || echo "(the sample call did not complete; see .run/service.log)"
echo
echo "The service keeps running on http://127.0.0.1:$PORT  (console: /console, OpenAPI: /docs, tokens: see README). Ctrl-C stops it."
echo "Place another call: npm run call -- --provider $provider"
wait $service
