#!/usr/bin/env bash
# The console's browser tests drive Debian's Chromium through playwright-core (no downloaded
# browser). Installs it when missing and allowed (root, or ALLOW_APT=1); CHROMIUM_PATH overrides.
set -euo pipefail
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$chromium" ]; then exit 0; fi
if [ "$(id -u)" = "0" ] || [ "${ALLOW_APT:-}" = "1" ]; then
  echo "[browser] installing Debian's chromium for the console's browser tests" >&2
  sudo_or_not=""
  [ "$(id -u)" = "0" ] || sudo_or_not="sudo"
  $sudo_or_not apt-get update -qq >&2 || true
  DEBIAN_FRONTEND=noninteractive $sudo_or_not apt-get install -y -qq chromium >&2
fi
if [ ! -x "$chromium" ]; then
  echo "[browser] no Chromium at $chromium: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH" >&2
  exit 1
fi
