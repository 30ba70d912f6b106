import { ClickHouseError } from '@clickhouse/client';
import { describe, expect, it } from 'vitest';
import { errorKind, retryDecision, type RetryPolicy } from '../src/retry.js';

const chError = (code: string, message = 'x') => new ClickHouseError({ message, code, type: 'X' });
const netError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:18123`), { code });

describe('errorKind', () => {
  it.each([
    ['too many parts (252)', chError('252'), 'transient'],
    ['memory limit (241)', chError('241'), 'transient'],
    ['timeout exceeded (159)', chError('159'), 'transient'],
    ['too many simultaneous queries (202)', chError('202'), 'transient'],
    ['incorrect data (117)', chError('117'), 'data'],
    ['type mismatch (53)', chError('53'), 'data'],
    ['cannot parse input (27)', chError('27'), 'data'],
    ['unknown table (60)', chError('60'), 'data'],
    ['syntax error (62)', chError('62'), 'data'],
    ['connection refused', netError('ECONNREFUSED'), 'transient'],
    ['connection reset', netError('ECONNRESET'), 'transient'],
    ['client timeout', new Error('Timeout error.'), 'transient'],
    ['socket hang up', new Error('socket hang up'), 'transient'],
    ['proxy 503', new Error('Service Unavailable 503'), 'transient'],
    ['a bug in our code', new TypeError("Cannot read properties of undefined (reading 'x')"), 'programming'],
    ['something unknown', new Error('weird'), 'data'],
  ])('%s → %s', (_name, err, kind) => {
    expect(errorKind(err)).toBe(kind);
  });
});

describe('retryDecision', () => {
  const policy: RetryPolicy = { initialDelayMs: 100, maxDelayMs: 1000, maxRetries: 3 };

  it('backs off exponentially with full jitter, capped', () => {
    const top = () => 0.999999;
    const delays = [1, 2, 3].map((a) => retryDecision(netError('ECONNREFUSED'), a, policy, top));
    expect(delays).toEqual([
      { retry: true, delayMs: 100 },
      { retry: true, delayMs: 200 },
      { retry: true, delayMs: 400 },
    ]);
    const capped = retryDecision(netError('ECONNREFUSED'), 3, { ...policy, maxDelayMs: 250 }, top);
    expect(capped).toEqual({ retry: true, delayMs: 250 });
    expect(retryDecision(netError('ECONNREFUSED'), 2, policy, () => 0)).toEqual({ retry: true, delayMs: 0 });
  });

  it('stops after maxRetries', () => {
    expect(retryDecision(netError('ECONNREFUSED'), 4, policy)).toEqual({ retry: false, kind: 'transient' });
  });

  it('never retries data or programming errors', () => {
    expect(retryDecision(chError('117'), 1, policy)).toEqual({ retry: false, kind: 'data' });
    expect(retryDecision(new TypeError('bug'), 1, policy)).toEqual({ retry: false, kind: 'programming' });
  });

  it('keeps retrying transient errors forever with an infinite budget', () => {
    const d = retryDecision(chError('252'), 10_000, { ...policy, maxRetries: Infinity }, () => 0.5);
    expect(d).toEqual({ retry: true, delayMs: 500 });
  });
});
