#!/usr/bin/env bash
# Makes sure Debian's chromium is installed, for the browser test of the built-in page
# (test/e2e/page.test.ts drives it with playwright-core; no browser is ever downloaded by npm).
#
# Idempotent: returns at once when the browser is already there.
# Exit codes: 0 = chromium is at $CHROMIUM_PATH; 1 = installing it failed;
#             3 = it is missing and cannot be installed here (not root, or no apt-get).
set -euo pipefail

chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
log() { printf 'ensure-chromium: %s\n' "$*" >&2; }

[[ -x $chromium ]] && exit 0

if [[ $(id -u) != 0 ]]; then
  log "$chromium is missing and this is not root: install it with 'sudo apt-get install chromium'"
  exit 3
fi
if ! command -v apt-get >/dev/null; then
  log "$chromium is missing and there is no apt-get here: install Chromium yourself and set CHROMIUM_PATH"
  exit 3
fi

# One installer at a time (parallel test runs); the second one finds the browser installed.
exec 9>/tmp/ndr-ensure-chromium.lock
flock -w 900 9 || { log 'another installation did not finish within 15 minutes'; exit 1; }
[[ -x $chromium ]] && exit 0

log "installing Debian's chromium (a few minutes, once)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null || { log 'apt-get update failed'; exit 1; }
apt-get install -y -qq --no-install-recommends chromium >/dev/null || { log 'apt-get install chromium failed'; exit 1; }
[[ -x $chromium ]] || { log "installed, but $chromium is still missing (set CHROMIUM_PATH)"; exit 1; }
log "installed: $("$chromium" --version 2>/dev/null || echo "$chromium")"
