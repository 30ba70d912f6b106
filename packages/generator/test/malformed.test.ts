/** Malformed messages are refused by @ndr/events with exactly the reason the ground truth expects. */
import { describe, expect, it } from 'vitest';
import { decodeEvent } from '@ndr/events';
import { createGenerator, MALFORMED_KINDS, OVERSIZE_BYTES } from '@ndr/generator';

describe('malformed messages', () => {
  const gen = createGenerator({ events: 3_000, seed: 3, malformed: 40, annotate: true });
  const bad = [...gen].filter((r) => r.note?.reject !== undefined);

  it('mixes in exactly the requested number, spread through the stream', () => {
    expect(bad.length).toBe(40);
    expect(gen.expected().deadLetters.total).toBe(40);
  });

  it('starts with the classic five: truncated JSON, random bytes, wrong types, missing tenant, one 2 MiB payload', () => {
    expect(bad.slice(0, 5).map((r) => r.note!.malformed)).toEqual([
      'truncated-json',
      'random-bytes',
      'wrong-types',
      'missing-tenant',
      'oversize-2mib',
    ]);
    const big = bad.filter((r) => r.value.length > 1024 * 1024);
    expect(big.length).toBe(1);
    expect(big[0]!.value.length).toBeGreaterThanOrEqual(OVERSIZE_BYTES);
  });

  it('gets the expected reject reason for every one of them', () => {
    for (const r of bad) {
      const d = decodeEvent(r.topic, r.value);
      expect(d.ok ? 'ok' : d.reason, r.note!.malformed).toBe(r.note!.reject);
    }
  });

  it('covers every kind and counts the dead letters by reason and topic', () => {
    expect(new Set(bad.map((r) => r.note!.malformed))).toEqual(new Set(MALFORMED_KINDS.map((k) => k.name)));
    const byReason: Record<string, number> = {};
    const byTopic: Record<string, number> = { message_trace: 0, trace_detail: 0, ndr: 0 };
    for (const r of bad) {
      byReason[r.note!.reject!] = (byReason[r.note!.reject!] ?? 0) + 1;
      byTopic[r.topic]!++;
    }
    expect(gen.expected().deadLetters.byReason).toEqual(byReason);
    expect(gen.expected().deadLetters.byTopic).toEqual(byTopic);
  });

  it('makes random bytes that are never valid UTF-8 whatever the seed', () => {
    for (let seed = 0; seed < 50; seed++) {
      const [r] = [...createGenerator({ events: 2, seed, malformed: 2, annotate: true })].filter(
        (x) => x.note?.malformed === 'random-bytes',
      );
      const d = decodeEvent(r!.topic, r!.value);
      expect(d.ok ? 'ok' : d.reason).toBe('invalid_encoding');
    }
  });
});
