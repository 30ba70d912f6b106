#!/usr/bin/env bash
# Stop the project's local servers (data is kept in .local/; delete it to start empty).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bash "$here/kafka/kafka.sh" down
bash "$here/clickhouse/clickhouse.sh" down
