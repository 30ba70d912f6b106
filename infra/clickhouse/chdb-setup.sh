#!/usr/bin/env bash
# Installs chdb (a current ClickHouse engine, in-process, from PyPI) into a git-ignored venv
# and prints the venv's python path. Idempotent. Used by the tests that check our SQL on a
# modern ClickHouse version besides the local 18.16 server.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
venv=${NDR_LOCAL_DIR:-$repo/.local}/chdb-venv
pin=${CHDB_VERSION:-4.4.0}
if [[ -x $venv/bin/python ]] && "$venv/bin/python" -c "import chdb,sys; sys.exit(0 if chdb.__version__=='$pin' else 1)" 2>/dev/null; then
  echo "$venv/bin/python"; exit 0
fi
command -v python3 >/dev/null || { echo "chdb-setup: python3 is required" >&2; exit 1; }
echo "chdb-setup: installing chdb $pin into $venv (one-off, ~1 GB)" >&2
python3 -m venv "$venv" >&2
"$venv/bin/pip" install -q --disable-pip-version-check "chdb==$pin" >&2
echo "$venv/bin/python"
