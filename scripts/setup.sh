#!/usr/bin/env bash
# Shared set-up for `npm start` and `npm test`: check the toolchain, install
# dependencies when they are missing or stale, build the TypeScript.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf '[setup] %s\n' "$*" >&2; }

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if ((node_major < 20)); then
  say "Node.js 20 or newer is required (found $(node --version 2>/dev/null || echo none)); install it and run again"
  exit 1
fi

# npm ci when node_modules is missing or older than the lock file.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "installing dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

say "building (tsc -b)"
npx tsc -b
