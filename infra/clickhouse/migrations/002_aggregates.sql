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

-- Message totals from message-trace rows (their minute is the message's Received time, the same
-- for every status of the row, so minute rows of this view may be summed over time). A row whose status moves from pending/getting_status
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

-- Bounces: failed or deferred deliveries reported by trace-detail events and NDRs. One view per
-- grain, each merging the states at that grain, so its rows are exact and never need summing:
-- the same bounce reported by a detail event (naming the remote IP) and by an NDR (naming none)
-- counts once per code, once per IP it was seen with, once per domain pair.
-- Windows wider than a minute: merge agg_minute's states over the window instead of summing
-- minute rows (a bounce's detail event and its NDR may fall in different minutes), e.g.
--   SELECT tenant, code, uniqExactMerge(messages) FROM agg_minute
--   WHERE bounce = 1 AND bucket >= now() - INTERVAL 6 HOUR GROUP BY tenant, code
CREATE VIEW IF NOT EXISTS {{db}}.v_bounces_minute AS
SELECT
    bucket, tenant, code, entry, reason, category, class,
    uniqExactMerge(messages) AS bounced_messages,
    uniqExactMerge(events) AS bounce_events
FROM {{db}}.agg_minute
WHERE bounce = 1
GROUP BY bucket, tenant, code, entry, reason, category, class;

CREATE VIEW IF NOT EXISTS {{db}}.v_bounces_by_ip_minute AS
SELECT
    bucket, tenant, ip, code, entry, reason,
    uniqExactMerge(messages) AS bounced_messages
FROM {{db}}.agg_minute
WHERE bounce = 1 AND ip != ''
GROUP BY bucket, tenant, ip, code, entry, reason;

CREATE VIEW IF NOT EXISTS {{db}}.v_bounces_by_domain_minute AS
SELECT
    bucket, tenant, direction, sender_domain, recipient_domain, code, entry, reason,
    uniqExactMerge(messages) AS bounced_messages
FROM {{db}}.agg_minute
WHERE bounce = 1
GROUP BY bucket, tenant, direction, sender_domain, recipient_domain, code, entry, reason;

-- All-time totals (no bucket): exact per tenant and code, and per tenant for message totals.
CREATE VIEW IF NOT EXISTS {{db}}.v_bounce_totals AS
SELECT
    tenant, code, entry, reason, category, class,
    uniqExactMerge(messages) AS bounced_messages,
    uniqExactMerge(events) AS bounce_events,
    min(bucket) AS first_seen,
    max(bucket) AS last_seen
FROM {{db}}.agg_minute
WHERE bounce = 1
GROUP BY tenant, code, entry, reason, category, class;

CREATE VIEW IF NOT EXISTS {{db}}.v_message_totals AS
SELECT
    tenant,
    uniqExactMerge(messages) AS messages_total,
    uniqExactMergeIf(messages, status = 'delivered') AS delivered,
    uniqExactMergeIf(messages, status = 'failed') AS failed,
    uniqExactMergeIf(messages, status IN ('quarantined', 'filtered_as_spam')) AS filtered,
    uniqExactMergeIf(messages, terminal = 1) AS terminal_messages,
    messages_total - terminal_messages AS pending
FROM {{db}}.agg_minute
WHERE schema = 'message_trace'
GROUP BY tenant;
