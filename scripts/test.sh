#!/usr/bin/env bash
# `npm test`: every test, unit and integration/e2e. Does its own set-up: dependencies,
# build, and — when KAFKA_BROKERS / CLICKHOUSE_URL are not set — the project's own local
# Kafka and ClickHouse (started by the integration global setup, left running for reuse).
# Extra arguments go to vitest, e.g. `npm test -- --project unit`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
exec npx vitest run "$@"
