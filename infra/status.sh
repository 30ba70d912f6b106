#!/usr/bin/env bash
# Status of the project's local servers; exit 0 only when both run.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rc=0
bash "$here/kafka/kafka.sh" status || rc=$?
bash "$here/clickhouse/clickhouse.sh" status || rc=$?
exit $rc
