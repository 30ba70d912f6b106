import { describe, expect, it } from 'vitest';
import { ConfigError } from '@ndr/config';
import { CONSUMER_DEFAULTS, consumerConfig } from '../src/config.js';

describe('consumerConfig', () => {
  it('uses the defaults when nothing is set', () => {
    expect(consumerConfig({})).toEqual(CONSUMER_DEFAULTS);
  });

  it('reads env vars with units and booleans', () => {
    const c = consumerConfig({
      NDR_FLUSH_INTERVAL_MS: '250',
      NDR_FROM_BEGINNING: 'false',
      NDR_TOPIC_NDR: 'bounces',
      NDR_HTTP_PORT: '0',
    });
    expect(c).toMatchObject({ flushIntervalMs: 250, fromBeginning: false, httpPort: 0 });
    expect(c.topics.ndr).toBe('bounces');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('names the env var and what it expects when a value is bad', () => {
    expect(() => consumerConfig({ NDR_FLUSH_INTERVAL_MS: 'soon' })).toThrow(
      /NDR_FLUSH_INTERVAL_MS \(flushIntervalMs\): .*number/i,
    );
    expect(() => consumerConfig({ NDR_FROM_BEGINNING: 'maybe' })).toThrow(ConfigError);
    expect(() => consumerConfig({ NDR_TOPIC_NDR: 'bad topic!' })).toThrow(/NDR_TOPIC_NDR.*topic name/);
  });

  it('refuses a heartbeat too close to the session timeout, and topics that collide', () => {
    expect(() => consumerConfig({ NDR_SESSION_TIMEOUT_MS: '9000', NDR_HEARTBEAT_INTERVAL_MS: '4000' })).toThrow(
      /heartbeatIntervalMs/,
    );
    expect(() => consumerConfig({ NDR_DEAD_LETTER_TOPIC: 'exo.ndr' })).toThrow(/must all differ/);
  });

  it('rejects unknown keys in overrides', () => {
    expect(() => consumerConfig({}, { flushEveryMs: 5 } as never)).toThrow(/flushEveryMs|Unrecognized/);
  });
});
