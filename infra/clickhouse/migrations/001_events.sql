-- Raw normalised events: one row per message-trace row, trace-detail event or NDR,
-- after classification. The drill-down table (which senders, which recipients) and the
-- source of exact per-status counts.
--
-- ReplacingMergeTree keyed by the natural key: a replayed Kafka offset, a row re-sent under
-- a new offset or re-exported by a backfill collapses to one row; the highest `version`
-- (status rank, then ingest time) wins, so Pending → Delivered keeps only the final row.
-- Readers never rely on merges having happened: they read through the views (FINAL or argMax).
-- Partitioned by day so retention can drop whole days (18.16 has no TTL).
CREATE TABLE IF NOT EXISTS {{db}}.events
(
    event_time       DateTime('UTC') COMMENT 'when Exchange saw it (Received, event date, DSN arrival), UTC',
    tenant           String,
    schema           String COMMENT 'message_trace | trace_detail | ndr',
    natural_key      String COMMENT 'see packages/events: mt|mtid|rcpt, td|…, ndr|…',
    message_key      String COMMENT '(message_trace_id or message_id)|recipient: one message to one recipient',
    version          UInt64 COMMENT 'status_rank * 2^42 + ingest time in ms; the highest wins',
    status           String,
    terminal         UInt8,
    direction        String,
    sender           String,
    recipient        String,
    sender_domain    String,
    recipient_domain String,
    ip               String COMMENT 'the IP that matters for blocking: sending IP, or the one named in the NDR text',
    code             String COMMENT 'enhanced status code as seen (d.ddd.ddd) or empty',
    reply            String COMMENT 'basic SMTP reply code or empty',
    entry            String COMMENT 'catalogue entry id or empty',
    class            String COMMENT 'transient | permanent | success | unknown',
    reason           String,
    category         String,
    alert_tags       Array(String),
    matched_by       String,
    message_trace_id String,
    message_id       String,
    subject          String,
    size_bytes       UInt64,
    diagnostic       String,
    source           String COMMENT 'kafka:topic/partition/offset or file:path:line',
    ingested_at      DateTime('UTC')
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toDate(event_time)
ORDER BY (tenant, schema, natural_key);
