-- Every alert the alerting process raised or resolved. One row per state change; the newest
-- version of an incident is its current state (read with FINAL or argMax). The alerting
-- process reloads open incidents from here at start, so a restart does not notify them again.
CREATE TABLE IF NOT EXISTS {{db}}.alerts
(
    incident_key  String COMMENT 'rule|tenant|ip-or-sender-or-code: one incident per key at a time',
    opened_at     DateTime('UTC') COMMENT 'event time when the incident opened',
    version       UInt64 COMMENT 'ms when this state was written; the highest wins',
    state         String COMMENT 'open | resolved',
    rule          String,
    severity      String,
    tenant        String,
    ip            String,
    sender        String,
    code          String,
    entry         String,
    title         String,
    cause         String,
    fix           String,
    who_acts      Array(String),
    count         UInt64 COMMENT 'matching messages in the window when last evaluated',
    window_start  DateTime('UTC'),
    window_end    DateTime('UTC'),
    last_seen     DateTime('UTC') COMMENT 'event time of the newest matching minute',
    resolved_at   DateTime('UTC'),
    notified      UInt8 COMMENT '1 once the notification for this state was delivered',
    detail        String COMMENT 'why it fired, e.g. the spike score'
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(opened_at)
ORDER BY (incident_key, opened_at);
