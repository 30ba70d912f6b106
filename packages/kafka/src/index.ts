import { readFileSync } from 'node:fs';
import { Kafka, logLevel, type Admin, type KafkaConfig, type logCreator } from 'kafkajs';
import type { KafkaConnection } from '@ndr/config';

/** The structural logger this package needs (pino's child loggers fit). */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Routes kafkajs's own log lines into our structured logger. */
export function kafkajsLogCreator(log: Logger): logCreator {
  return () => (entry) => {
    const { message, ...rest } = entry.log;
    const fields = { ...rest, kafkajs: entry.namespace };
    if (entry.level === logLevel.ERROR) log.error(fields, message);
    else if (entry.level === logLevel.WARN) log.warn(fields, message);
    else if (entry.level === logLevel.INFO) log.info(fields, message);
    else log.debug(fields, message);
  };
}

export interface KafkaClientOptions {
  readonly clientId?: string;
  readonly logger?: Logger;
  /** kafkajs log level; WARN by default (INFO logs every group join). */
  readonly logLevel?: logLevel;
}

export function createKafka(conn: KafkaConnection, opts: KafkaClientOptions = {}): Kafka {
  const config: KafkaConfig = {
    clientId: opts.clientId ?? conn.clientId,
    brokers: [...conn.brokers],
    logLevel: opts.logLevel ?? logLevel.WARN,
    retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 30_000 },
    ...(opts.logger ? { logCreator: kafkajsLogCreator(opts.logger) } : {}),
  };
  if (conn.ssl) config.ssl = conn.sslCaFile ? { ca: [readFileSync(conn.sslCaFile, 'utf8')] } : true;
  if (conn.sasl) {
    const { mechanism, username, password } = conn.sasl;
    config.sasl =
      mechanism === 'plain'
        ? { mechanism: 'plain', username, password }
        : mechanism === 'scram-sha-256'
          ? { mechanism: 'scram-sha-256', username, password }
          : { mechanism: 'scram-sha-512', username, password };
  }
  return new Kafka(config);
}

export { logLevel };

/** Messages a consumer group still has to commit on `topics` (high watermark minus committed offset). */
export async function groupLag(admin: Admin, groupId: string, topics: readonly string[]): Promise<number> {
  let behind = 0;
  for (const topic of topics) {
    const high = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const got = new Map((committed?.partitions ?? []).map((p) => [p.partition, Math.max(0, Number(p.offset))]));
    for (const h of high) behind += Math.max(0, Number(h.high) - (got.get(h.partition) ?? 0));
  }
  return behind;
}
