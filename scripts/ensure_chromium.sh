#!/usr/bin/env bash
# The browser tests drive Debian's Chromium. Install it when missing (as root); otherwise say how.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ]; then
  echo "Installing Chromium from Debian for the browser tests…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
  command -v chromium >/dev/null && exit 0
fi
echo "The browser tests need Chromium: run 'sudo apt-get install chromium' and try again." >&2
exit 1
