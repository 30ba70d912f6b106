-- Per-minute aggregates, exact by construction.
--
-- The consumer aggregates in memory per (1-minute event-time bucket, dimensions) and sends one
-- row per group with the keys it saw: `message_keys` (one message to one recipient) and
-- `event_keys` (the row's natural key), equal-length arrays. The MV turns them into uniqExact
-- states (a set of 128-bit SipHash values of the keys). A state is a set, and a set union is idempotent: a replayed Kafka offset, a row
-- re-sent under a new offset or re-exported by a backfill adds keys that are already there. So
-- totals stay exact without insert deduplication (which 18.16 lacks on non-replicated tables),
-- whatever the merge state, as long as readers merge states (the views below do).
CREATE TABLE IF NOT EXISTS {{db}}.agg_minute_input
(
    bucket           DateTime('UTC'),
    tenant           String,
    schema           String,
    direction        String,
    status           String,
    terminal         UInt8,
    bounce           UInt8,
    code             String,
    entry            String,
    reason           String,
    category         String,
    class            String,
    sender_domain    String,
    recipient_domain String,
    ip               String,
    message_keys     Array(String),
    event_keys       Array(String)
)
ENGINE = Null;

CREATE TABLE IF NOT EXISTS {{db}}.agg_minute
(
    bucket           DateTime('UTC'),
    tenant           String,
    schema           String,
    direction        String,
    status           String,
    terminal         UInt8,
    bounce           UInt8,
    code             String,
    entry            String,
    reason           String,
    category         String,
    class            String,
    sender_domain    String,
    recipient_domain String,
    ip               String,
    messages         AggregateFunction(uniqExact, String),
    events           AggregateFunction(uniqExact, String)
)
ENGINE = AggregatingMergeTree()
PARTITION BY toYYYYMM(bucket)
ORDER BY (tenant, bucket, schema, status, code, entry, direction, sender_domain, recipient_domain, ip, terminal, bounce, reason, category, class);

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.agg_minute_mv TO {{db}}.agg_minute AS
SELECT
    bucket, tenant, schema, direction, status, terminal, bounce, code, entry, reason, category, class,
    sender_domain, recipient_domain, ip,
    uniqExactState(mk) AS messages,
    uniqExactState(ek) AS events
FROM {{db}}.agg_minute_input
ARRAY JOIN message_keys AS mk, event_keys AS ek
GROUP BY
    bucket, tenant, schema, direction, status, terminal, bounce, code, entry, reason, category, class,
    sender_domain, recipient_domain, ip;

-- The stable read path: exact counts per minute and every dimension, whatever the merge state.
-- `messages` = distinct (message, recipient) pairs; `events` = distinct rows/events.
CREATE VIEW IF NOT EXISTS {{db}}.v_minute AS
SELECT
    bucket, tenant, schema, direction, status, terminal, bounce, code, entry, reason, category, class,
    sender_domain, recipient_domain, ip,
    uniqExactMerge(messages) AS messages,
    uniqExactMerge(events) AS events
FROM {{db}}.agg_minute
GROUP BY
    bucket, tenant, schema, direction, status, terminal, bounce, code, entry, reason, category, class,
    sender_domain, recipient_domain, ip;

-- Message totals from message-trace rows. A row whose status moves from pending/getting_status
-- to delivered/failed keeps its message key, so it counts once in `messages`; `pending` is the
-- messages with no terminal status yet.
CREATE VIEW IF NOT EXISTS {{db}}.v_message_totals_minute AS
SELECT
    bucket, tenant, direction, sender_domain, recipient_domain,
    uniqExactMerge(messages) AS messages_total,
    uniqExactMergeIf(messages, status = 'delivered') AS delivered,
    uniqExactMergeIf(messages, status = 'failed') AS failed,
    uniqExactMergeIf(messages, status IN ('quarantined', 'filtered_as_spam')) AS filtered,
    uniqExactMergeIf(messages, terminal = 1) AS terminal_messages,
    messages_total - terminal_messages AS pending
FROM {{db}}.agg_minute
WHERE schema = 'message_trace'
GROUP BY bucket, tenant, direction, sender_domain, recipient_domain;

-- Bounces (failed or deferred deliveries reported by trace-detail events and NDRs) per code.
-- The same bounce seen as a trace-detail Fail event and as an NDR shares its message key and
-- counts once per code.
CREATE VIEW IF NOT EXISTS {{db}}.v_bounces_minute AS
SELECT
    bucket, tenant, direction, code, entry, reason, category, class, sender_domain, recipient_domain, ip,
    uniqExactMerge(messages) AS bounced_messages,
    uniqExactMerge(events) AS bounce_events
FROM {{db}}.agg_minute
WHERE bounce = 1
GROUP BY bucket, tenant, direction, code, entry, reason, category, class, sender_domain, recipient_domain, ip;
