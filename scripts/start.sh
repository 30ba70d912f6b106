#!/usr/bin/env bash
# `npm start`: the main job. Does its own set-up, provisions local Kafka and ClickHouse
# when none are configured (KAFKA_BROKERS / CLICKHOUSE_URL), applies the migrations and
# shows what is running and where.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
bash infra/up.sh
node services/cli/bin/ndr.js migrate
node services/cli/bin/ndr.js status
