#!/usr/bin/env bash
# Bring up the local servers that are not replaced by external ones:
# ClickHouse unless CLICKHOUSE_URL is set, Kafka unless KAFKA_BROKERS is set.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[[ -n ${CLICKHOUSE_URL:-} ]] && echo "infra: using ClickHouse at $CLICKHOUSE_URL" >&2 || bash "$here/clickhouse/clickhouse.sh" up
[[ -n ${KAFKA_BROKERS:-} ]] && echo "infra: using Kafka at $KAFKA_BROKERS" >&2 || bash "$here/kafka/kafka.sh" up
