/**
 * Connection settings for Kafka and ClickHouse, read once from the environment at
 * the edge (main.ts, test setup) and passed down frozen. Inner modules never read
 * process.env.
 */
import { z } from 'zod';

/** Where the project's own local servers listen when nothing else is configured. */
export const LOCAL_DEFAULTS = {
  kafkaBrokers: ['127.0.0.1:19092'],
  clickhouseUrl: 'http://127.0.0.1:18123',
} as const;

const brokerList = z
  .string()
  .trim()
  .min(1)
  .transform((s) =>
    s
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(z.string().regex(/^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/, 'each broker must be host:port'))
      .min(1, 'at least one broker'),
  );

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** The variables this module reads, with what each expects. */
const envSchema = z
  .object({
    KAFKA_BROKERS: brokerList.optional(),
    KAFKA_CLIENT_ID: z.string().min(1).default('ndr-pipeline'),
    KAFKA_SSL: bool.default(false),
    KAFKA_SSL_CA_FILE: z.string().min(1).optional(),
    KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
    KAFKA_SASL_USERNAME: z.string().min(1).optional(),
    KAFKA_SASL_PASSWORD: z.string().optional(),
    CLICKHOUSE_URL: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL like http://127.0.0.1:8123' })
      .optional(),
    CLICKHOUSE_USER: z.string().min(1).default('default'),
    CLICKHOUSE_PASSWORD: z.string().default(''),
    CLICKHOUSE_DATABASE: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'letters, digits and underscores, not starting with a digit')
      .default('ndr'),
    CLICKHOUSE_CA_FILE: z.string().min(1).optional(),
    KAFKA_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
    CLICKHOUSE_HTTP_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
    CLICKHOUSE_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  })
  .superRefine((env, ctx) => {
    if (env.KAFKA_SASL_MECHANISM && !env.KAFKA_SASL_USERNAME) {
      ctx.addIssue({
        code: 'custom',
        path: ['KAFKA_SASL_USERNAME'],
        message: 'required when KAFKA_SASL_MECHANISM is set',
      });
    }
    if (env.KAFKA_SASL_USERNAME && !env.KAFKA_SASL_MECHANISM) {
      ctx.addIssue({
        code: 'custom',
        path: ['KAFKA_SASL_MECHANISM'],
        message: 'required when KAFKA_SASL_USERNAME is set (plain, scram-sha-256 or scram-sha-512)',
      });
    }
  });

export interface KafkaConnection {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly ssl: boolean;
  readonly sslCaFile?: string;
  readonly sasl?: {
    readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
    readonly username: string;
    readonly password: string;
  };
  /** True when no KAFKA_BROKERS was given and the project's local broker is meant. */
  readonly local: boolean;
}

export interface ClickHouseConnection {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly database: string;
  readonly caFile?: string;
  readonly requestTimeoutMs: number;
  /** True when no CLICKHOUSE_URL was given and the project's local server is meant. */
  readonly local: boolean;
}

export interface Connections {
  readonly kafka: KafkaConnection;
  readonly clickhouse: ClickHouseConnection;
}

/** A configuration error that names every bad variable and what it expects. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

/** Turns zod issues into lines that name the variable: `CLICKHOUSE_URL: must be an http(s) URL …`. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
}

/** Reads Kafka and ClickHouse connection settings; defaults to the local servers. */
export function connectionsFromEnv(env: Readonly<Record<string, string | undefined>>): Connections {
  // Treat empty strings like unset variables, as shells and compose files often pass them.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error));
  const e = parsed.data;
  // The local servers honour the same port variables as infra/*/…sh.
  const localBrokers = env.KAFKA_PORT ? [`127.0.0.1:${env.KAFKA_PORT}`] : LOCAL_DEFAULTS.kafkaBrokers;
  const localClickHouse = env.CLICKHOUSE_HTTP_PORT
    ? `http://127.0.0.1:${env.CLICKHOUSE_HTTP_PORT}`
    : LOCAL_DEFAULTS.clickhouseUrl;
  const kafka: KafkaConnection = {
    brokers: Object.freeze([...(e.KAFKA_BROKERS ?? localBrokers)]),
    clientId: e.KAFKA_CLIENT_ID,
    ssl: e.KAFKA_SSL,
    ...(e.KAFKA_SSL_CA_FILE ? { sslCaFile: e.KAFKA_SSL_CA_FILE } : {}),
    ...(e.KAFKA_SASL_MECHANISM && e.KAFKA_SASL_USERNAME
      ? {
          sasl: Object.freeze({
            mechanism: e.KAFKA_SASL_MECHANISM,
            username: e.KAFKA_SASL_USERNAME,
            password: e.KAFKA_SASL_PASSWORD ?? '',
          }),
        }
      : {}),
    local: e.KAFKA_BROKERS === undefined,
  };
  const clickhouse: ClickHouseConnection = {
    url: e.CLICKHOUSE_URL ?? localClickHouse,
    username: e.CLICKHOUSE_USER,
    password: e.CLICKHOUSE_PASSWORD,
    database: e.CLICKHOUSE_DATABASE,
    ...(e.CLICKHOUSE_CA_FILE ? { caFile: e.CLICKHOUSE_CA_FILE } : {}),
    requestTimeoutMs: e.CLICKHOUSE_REQUEST_TIMEOUT_MS,
    local: e.CLICKHOUSE_URL === undefined,
  };
  return Object.freeze({ kafka: Object.freeze(kafka), clickhouse: Object.freeze(clickhouse) });
}
