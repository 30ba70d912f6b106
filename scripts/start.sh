#!/usr/bin/env bash
# `npm start`: the main job. Does its own set-up, provisions local Kafka and ClickHouse when none
# are configured (KAFKA_BROKERS / CLICKHOUSE_URL), applies the migrations, feeds realistic traffic
# through the pipeline and shows totals, top codes and the alerts it raised; then keeps the
# pipeline and the trends page running until Ctrl-C. `npm start -- --once` exits after the results.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
bash infra/up.sh
node services/cli/bin/ndr.js migrate
node services/cli/bin/ndr.js status
exec node services/cli/bin/ndr.js demo "$@"
