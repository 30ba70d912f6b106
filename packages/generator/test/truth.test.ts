/**
 * The ground truth against a plain recount from the decoded records, with the pipeline's own rules
 * (@ndr/events normalisation, the classifier's code, the writer's messageKey/isBounce/bucketOf). The
 * generator computes its truth from its plan without any of that code; agreement means the definitions match.
 */
import { describe, expect, it } from 'vitest';
import { createGenerator } from '@ndr/generator';
import { decodeAll, recount, truthPart } from './helpers.js';

describe.each([
  [
    'demo with duplicates and malformed messages',
    { events: 40_000, seed: 21, duplicateRatio: 0.2, malformed: 25, minutes: 30 },
  ],
  [
    'steady, 6 tenants, a short range',
    { events: 15_000, seed: 4, scenario: 'steady' as const, tenants: 6, minutes: 10 },
  ],
  ['demo at the default volume per minute', { events: 30_000, seed: 8, minutes: 20 }],
])('ground truth: %s', (_name, options) => {
  const gen = createGenerator(options);
  const { decoded, rejected } = decodeAll(gen);
  const expected = gen.expected();

  it('equals the recount per tenant: records, rows, messages, bounces per code, per minute', () => {
    const counted = recount(decoded);
    expect(truthPart(expected)).toEqual(counted);
    for (const t of Object.values(counted)) {
      expect(Object.keys(t.bounces).length).toBeGreaterThan(3);
      expect(t.messages.total).toBeGreaterThan(100);
    }
  });

  it('counts records, duplicates and dead letters', () => {
    expect(expected.records.total).toBe(options.events);
    expect(expected.records.valid).toBe(decoded.length);
    expect(expected.records.malformed).toBe(rejected.length);
    const byTopic = { message_trace: 0, trace_detail: 0, ndr: 0 };
    for (const d of decoded) byTopic[d.rec.topic]++;
    expect(expected.records.byTopic).toEqual(byTopic);
    const distinct = new Set(decoded.map((d) => `${d.rec.topic}|${d.rec.value.toString('base64')}`)).size;
    expect(expected.records.duplicates).toBe(decoded.length - distinct);
    const reasons: Record<string, number> = {};
    for (const r of rejected) reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
    expect(expected.deadLetters.byReason).toEqual(reasons);
  });

  it('never gives one message two terminal statuses (pending stays exact)', () => {
    const terminal = new Map<string, Set<string>>();
    for (const { event } of decoded) {
      if (event.schema !== 'message_trace' || !event.terminal) continue;
      const k = event.natural_key;
      terminal.set(k, (terminal.get(k) ?? new Set()).add(event.status));
    }
    for (const statuses of terminal.values()) expect(statuses.size).toBe(1);
  });

  it('adds the tenants up to the totals', () => {
    const t = Object.values(expected.tenants);
    expect(expected.totals.messages.total).toBe(t.reduce((s, x) => s + x.messages.total, 0));
    const m = expected.totals.messages;
    expect(m.delivered + m.failed + m.filtered + m.other + m.pending).toBe(m.total);
    for (const [code, n] of Object.entries(expected.totals.bounces))
      expect(t.reduce((s, x) => s + (x.bounces[code] ?? 0), 0)).toBe(n);
  });
});

describe('ground truth: realistic mix', () => {
  const e = createGenerator({ events: 40_000, seed: 2, scenario: 'steady' }).expected();

  it('is mostly delivered mail with a few percent of bounces', () => {
    const m = e.totals.messages;
    expect(m.delivered / m.total).toBeGreaterThan(0.85);
    expect(m.failed / m.total).toBeGreaterThan(0.01);
    expect(m.failed / m.total).toBeLessThan(0.08);
    expect(m.pending).toBeGreaterThan(0);
    expect(m.filtered).toBeGreaterThan(0);
  });

  it('has the usual bounce codes', () => {
    for (const code of [
      '5.1.1',
      '5.1.10',
      '5.2.2',
      '4.4.7',
      '4.4.316',
      '4.7.500',
      '4.7.0',
      '5.7.23',
      '5.4.1',
      '5.7.509',
      '5.0.0',
    ]) {
      expect(e.totals.bounces[code], code).toBeGreaterThan(0);
    }
  });
});
