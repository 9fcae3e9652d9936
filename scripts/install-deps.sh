#!/usr/bin/env bash
# Installs npm dependencies, exactly as the lock file lists them, when they are missing or older
# than the lock file. Never `npm install`: that would rewrite the tracked package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[deps] installing npm dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund >&2
fi
