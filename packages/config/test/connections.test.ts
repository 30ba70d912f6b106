import { describe, expect, it } from 'vitest';
import { ConfigError, LOCAL_DEFAULTS, connectionsFromEnv } from '../src/index.js';

describe('connectionsFromEnv', () => {
  it('uses the local servers when nothing is configured', () => {
    const c = connectionsFromEnv({});
    expect(c.kafka.brokers).toEqual(LOCAL_DEFAULTS.kafkaBrokers);
    expect(c.kafka.local).toBe(true);
    expect(c.clickhouse.url).toBe(LOCAL_DEFAULTS.clickhouseUrl);
    expect(c.clickhouse.local).toBe(true);
    expect(c.clickhouse.database).toBe('ndr');
  });

  it('points at the local servers on the ports their scripts use', () => {
    const c = connectionsFromEnv({ KAFKA_PORT: '29092', CLICKHOUSE_HTTP_PORT: '28123' });
    expect(c.kafka.brokers).toEqual(['127.0.0.1:29092']);
    expect(c.clickhouse.url).toBe('http://127.0.0.1:28123');
    expect(c.kafka.local && c.clickhouse.local).toBe(true);
    expect(() => connectionsFromEnv({ KAFKA_PORT: 'x' })).toThrow(/KAFKA_PORT/);
  });

  it('treats empty variables as unset', () => {
    expect(connectionsFromEnv({ KAFKA_BROKERS: '', CLICKHOUSE_URL: '' }).kafka.local).toBe(true);
  });

  it('reads external servers, brokers split on commas', () => {
    const c = connectionsFromEnv({
      KAFKA_BROKERS: 'k1:9092, k2:9093',
      CLICKHOUSE_URL: 'https://ch.example.com:8443',
      CLICKHOUSE_USER: 'writer',
      CLICKHOUSE_PASSWORD: 's3cret',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'svc',
      KAFKA_SASL_PASSWORD: 'pw',
      KAFKA_SSL: 'true',
    });
    expect(c.kafka.brokers).toEqual(['k1:9092', 'k2:9093']);
    expect(c.kafka.local).toBe(false);
    expect(c.kafka.ssl).toBe(true);
    expect(c.kafka.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'svc', password: 'pw' });
    expect(c.clickhouse).toMatchObject({ url: 'https://ch.example.com:8443', username: 'writer', local: false });
  });

  it('names every bad variable and what it expects', () => {
    let err: unknown;
    try {
      connectionsFromEnv({ KAFKA_BROKERS: 'nohostport', CLICKHOUSE_URL: 'ftp://x', CLICKHOUSE_DATABASE: '1bad;drop' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as ConfigError).message;
    expect(msg).toMatch(/KAFKA_BROKERS.*host:port/);
    expect(msg).toMatch(/CLICKHOUSE_URL.*http\(s\) URL/);
    expect(msg).toMatch(/CLICKHOUSE_DATABASE/);
    expect((err as ConfigError).problems).toHaveLength(3);
  });

  it('requires a SASL user and mechanism together', () => {
    expect(() => connectionsFromEnv({ KAFKA_SASL_MECHANISM: 'plain' })).toThrow(/KAFKA_SASL_USERNAME: required/);
    expect(() => connectionsFromEnv({ KAFKA_SASL_USERNAME: 'u' })).toThrow(/KAFKA_SASL_MECHANISM: required/);
  });

  it('returns frozen settings', () => {
    const c = connectionsFromEnv({});
    expect(Object.isFrozen(c.kafka)).toBe(true);
    expect(Object.isFrozen(c.clickhouse)).toBe(true);
  });
});
