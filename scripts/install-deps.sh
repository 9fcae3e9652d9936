#!/usr/bin/env bash
# Installs npm dependencies when they are missing or older than the lock file.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[deps] installing npm dependencies" >&2
  # npm ci is exact; when a lock file and this npm disagree (optional platform packages), fall back to install.
  npm ci --no-audit --no-fund >&2 || npm install --no-audit --no-fund >&2
fi
