import { randomBytes } from 'node:crypto';

/** A random name that is a valid Kafka topic, consumer group and ClickHouse identifier. */
export const randomName = (prefix: string): string => `${prefix}_${randomBytes(6).toString('hex')}`;
