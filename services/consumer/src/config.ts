/**
 * The consumer's own settings (connections come from @ndr/config). One strict schema, read once
 * in main.ts from env vars; names carry their units.
 */
import { z } from 'zod';
import { DEFAULT_DEAD_LETTER_TOPIC, DEFAULT_TOPICS, DEFAULT_MAX_BYTES } from '@ndr/events';
import { ConfigError, describeIssues } from '@ndr/config';

const topic = z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'a Kafka topic name (letters, digits, . _ -)');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const consumerConfigSchema = z
  .object({
    groupId: z.string().min(1),
    topics: z.object({ message_trace: topic, trace_detail: topic, ndr: topic }).strict(),
    deadLetterTopic: topic,
    fromBeginning: z.boolean(),
    /** Flush the buffered rows at least this often. */
    flushIntervalMs: int(50, 60_000),
    /** …or when this many events are buffered. */
    maxBufferEvents: int(1, 5_000_000),
    /**
     * …or when the buffer holds about this many bytes. Together these bound memory: a full buffer is
     * written while reading fills a second one, and reading waits when that one is full too.
     */
    maxBufferBytes: int(1 << 20, 2 ** 31),
    /** Kafka values larger than this go to the dead-letter topic as `oversize`. */
    maxMessageBytes: int(1024, 64 << 20),
    /** Partitions processed at once by kafkajs. */
    partitionsConsumedConcurrently: int(1, 64),
    sessionTimeoutMs: int(6_000, 300_000),
    heartbeatIntervalMs: int(500, 60_000),
    /** SIGTERM: flush, commit and leave the group within this time, or exit non-zero. */
    shutdownTimeoutMs: int(1_000, 600_000),
    /** /metrics, /healthz, /readyz; 0 disables the HTTP server. */
    httpPort: int(0, 65_535),
    httpHost: z.string().min(1),
    /** Create missing input and dead-letter topics at start (handy locally; off in production). */
    createTopics: z.boolean(),
    topicPartitions: int(1, 1024),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.heartbeatIntervalMs * 3 > c.sessionTimeoutMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['heartbeatIntervalMs'],
        message: 'must be at most a third of sessionTimeoutMs',
      });
    }
    const names = [c.topics.message_trace, c.topics.trace_detail, c.topics.ndr, c.deadLetterTopic];
    if (new Set(names).size !== names.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['topics'],
        message: 'input topics and the dead-letter topic must all differ',
      });
    }
  });

export type ConsumerConfig = Readonly<z.infer<typeof consumerConfigSchema>>;

export const CONSUMER_DEFAULTS: ConsumerConfig = {
  groupId: 'ndr-pipeline',
  topics: { ...DEFAULT_TOPICS },
  deadLetterTopic: DEFAULT_DEAD_LETTER_TOPIC,
  fromBeginning: true,
  flushIntervalMs: 1_000,
  maxBufferEvents: 20_000,
  maxBufferBytes: 16 << 20,
  maxMessageBytes: DEFAULT_MAX_BYTES,
  partitionsConsumedConcurrently: 1,
  sessionTimeoutMs: 30_000,
  heartbeatIntervalMs: 3_000,
  shutdownTimeoutMs: 30_000,
  httpPort: 9464,
  httpHost: '127.0.0.1',
  createTopics: false,
  topicPartitions: 6,
};

/** Env var → config key. Every variable is optional; the defaults above apply. */
export const CONSUMER_ENV: Record<string, keyof ConsumerConfig | `topics.${keyof ConsumerConfig['topics']}`> = {
  NDR_GROUP_ID: 'groupId',
  NDR_TOPIC_MESSAGE_TRACE: 'topics.message_trace',
  NDR_TOPIC_TRACE_DETAIL: 'topics.trace_detail',
  NDR_TOPIC_NDR: 'topics.ndr',
  NDR_DEAD_LETTER_TOPIC: 'deadLetterTopic',
  NDR_FROM_BEGINNING: 'fromBeginning',
  NDR_FLUSH_INTERVAL_MS: 'flushIntervalMs',
  NDR_MAX_BUFFER_EVENTS: 'maxBufferEvents',
  NDR_MAX_BUFFER_BYTES: 'maxBufferBytes',
  NDR_MAX_MESSAGE_BYTES: 'maxMessageBytes',
  NDR_PARTITIONS_CONCURRENTLY: 'partitionsConsumedConcurrently',
  NDR_SESSION_TIMEOUT_MS: 'sessionTimeoutMs',
  NDR_HEARTBEAT_INTERVAL_MS: 'heartbeatIntervalMs',
  NDR_SHUTDOWN_TIMEOUT_MS: 'shutdownTimeoutMs',
  NDR_HTTP_PORT: 'httpPort',
  NDR_HTTP_HOST: 'httpHost',
  NDR_CREATE_TOPICS: 'createTopics',
  NDR_TOPIC_PARTITIONS: 'topicPartitions',
};

const BOOLEAN = /^(true|false|1|0|yes|no)$/;

/** Builds the config from defaults, env vars and explicit overrides; errors name the env var. */
export function consumerConfig(
  env: Readonly<Record<string, string | undefined>>,
  overrides: Partial<ConsumerConfig> = {},
): ConsumerConfig {
  const merged: Record<string, unknown> = { ...CONSUMER_DEFAULTS, topics: { ...CONSUMER_DEFAULTS.topics } };
  const origin = new Map<string, string>();
  for (const [name, key] of Object.entries(CONSUMER_ENV)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    let value: unknown = raw;
    if (typeof CONSUMER_DEFAULTS[key as keyof ConsumerConfig] === 'boolean') {
      value = BOOLEAN.test(raw) ? ['true', '1', 'yes'].includes(raw) : raw;
    }
    if (key.startsWith('topics.')) (merged.topics as Record<string, unknown>)[key.slice(7)] = value;
    else merged[key] = value;
    origin.set(key, name);
  }
  Object.assign(merged, overrides);
  const parsed = consumerConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const problems = describeIssues(parsed.error).map((line) => {
      const key = line.slice(0, line.indexOf(':'));
      const name = origin.get(key);
      return name ? `${name} (${key})${line.slice(key.length)}` : line;
    });
    throw new ConfigError(problems);
  }
  return Object.freeze(parsed.data);
}
