-- The per-minute aggregates are computed by ClickHouse from the raw rows, so the writer sends each
-- event once (to `events`) instead of twice (raw row + its group in `agg_minute_input`).
--
-- `bounce` is decided by the writer (packages' isBounce: a failed/deferred delivery reported by a
-- trace-detail event or an NDR, not a success) and stored with the row, so drill-down queries
-- ("which recipients bounced") and the aggregates use the same rule. Rows written before this
-- migration read 0; their aggregates came through agg_minute_input and are unaffected.
ALTER TABLE {{db}}.events ADD COLUMN bounce UInt8 DEFAULT 0 AFTER terminal;

-- Fires on every INSERT into `events`, on the inserted block only: the same uniqExact key sets as
-- agg_minute_mv builds from agg_minute_input, so totals stay idempotent under replay (a repeated row
-- adds keys its set already holds). `bucket` = the event's minute, as bucketOf() computes it.
CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.agg_minute_events_mv TO {{db}}.agg_minute AS
SELECT
    toStartOfMinute(event_time) AS bucket,
    tenant, schema, direction, status, terminal, bounce, code, entry, reason, category, class,
    sender_domain, recipient_domain, ip,
    uniqExactState(message_key) AS messages,
    uniqExactState(natural_key) AS events
FROM {{db}}.events
GROUP BY
    bucket, tenant, schema, direction, status, terminal, bounce, code, entry, reason, category, class,
    sender_domain, recipient_domain, ip;
