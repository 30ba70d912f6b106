/**
 * The demo scenario's shapes, seen the way the pipeline will see them: decoded records, classified
 * diagnostics, writer bounce rules, per-minute buckets.
 */
import { describe, expect, it } from 'vitest';
import { createGenerator, DMARC_SPIKE_PER_MINUTE } from '@ndr/generator';
import { bucketOf, isBounce, messageKey } from '@ndr/writer';
import { decodeAll, type Decoded } from './helpers.js';

const START = Date.UTC(2026, 10, 20, 8, 0);
const MINUTES = 30;
const demo = createGenerator({ events: 60_000, seed: 77, minutes: MINUTES, startMs: START });
const { decoded } = decodeAll(demo);
const truth = demo.expected();
const [A, B, C, D] = Object.keys(truth.tenants) as [string, string, string, string];
const bounces = decoded.filter((d) => isBounce(d.event, d.c));
const minuteOf = (d: Decoded) => (bucketOf(d.event.event_time_ms) * 1000 - START) / 60_000;

/** Distinct bounced messages per minute for a tenant and code predicate. */
function perMinute(tenant: string, code: (c: string) => boolean): number[] {
  const sets = Array.from({ length: MINUTES + 120 }, () => new Set<string>());
  for (const d of bounces)
    if (d.event.tenant === tenant && code(d.c.code ?? '')) sets[minuteOf(d)]?.add(messageKey(d.event));
  return sets.map((s) => s.size);
}

describe('demo scenario', () => {
  it('plays the four tenants in order: contoso A, fabrikam B, northwind C, tailspin D', () => {
    expect([A, B, C, D]).toEqual([
      'contoso.onmicrosoft.com',
      'fabrikam.onmicrosoft.com',
      'northwind.onmicrosoft.com',
      'tailspin.onmicrosoft.com',
    ]);
    expect(Object.values(truth.tenants).map((t) => t.label)).toEqual(['A', 'B', 'C', 'D']);
  });

  it("spikes A's 5.7.509 DMARC rejections from ~2/min to ~200/min for a few minutes", () => {
    const series = perMinute(A, (c) => c === '5.7.509');
    const spike = truth.scenario.dmarc!.spike!;
    const from = (Date.parse(spike.from) - START) / 60_000;
    const to = (Date.parse(spike.to) - START) / 60_000;
    expect(to - from).toBeGreaterThanOrEqual(3);
    for (let m = from; m < to; m++) {
      expect(series[m]).toBeGreaterThan(0.8 * DMARC_SPIKE_PER_MINUTE);
      expect(series[m]).toBeLessThan(1.3 * DMARC_SPIKE_PER_MINUTE);
    }
    const quiet = series.slice(0, from - 1).concat(series.slice(to + 1, MINUTES));
    expect(Math.max(...quiet)).toBeLessThan(12);
    const mean = quiet.reduce((a, b) => a + b, 0) / quiet.length;
    expect(mean).toBeGreaterThan(1);
    expect(mean).toBeLessThan(5);
    // The ground truth shows the same series.
    const perMinuteTruth = truth.tenants[A]!.bouncesPerMinute['5.7.509']!;
    for (let m = 0; m < MINUTES; m++)
      expect(perMinuteTruth[new Date(START + m * 60_000).toISOString().replace('.000Z', 'Z')] ?? 0).toBe(series[m]);
  });

  it("names B's relay IP in every banned-IP rejection, after the ban starts", () => {
    const ip = truth.tenants[B]!.relayIp;
    const banned = bounces.filter(
      (d) =>
        d.event.tenant === B && (/^5\.7\.6(0[6-9]|[1-4]\d)$/.test(d.c.code ?? '') || d.c.entities.sub_code === 'S3150'),
    );
    expect(banned.length).toBeGreaterThan(50);
    const bannedFrom = (Date.parse(truth.scenario.ipBan!.bannedFrom) - START) / 60_000;
    for (const d of banned) {
      expect(d.event.diagnostic).toContain(`[${ip}]`);
      expect(d.c.entities.ips[0]).toBe(ip);
      expect(d.c.entry === 'exo.5.7.606-649' || d.c.entry === 'exo.5.7.1.ip_blocklisted').toBe(true);
      expect(minuteOf(d)).toBeGreaterThanOrEqual(bannedFrom);
    }
    const warnings = bounces.filter((d) => d.event.tenant === B && d.c.code === '4.7.650');
    expect(warnings.length).toBeGreaterThan(5);
    for (const d of warnings) expect(d.c.entities.ips).toContain(ip);
    for (const t of [A, C, D])
      expect(bounces.filter((d) => d.event.tenant === t && /^5\.7\.6\d\d$/.test(d.c.code ?? ''))).toEqual([]);
  });

  it('blocks C with tenant-level codes only from the block on, and none elsewhere', () => {
    const block = new Set(['5.7.705', '5.7.708', '5.7.750']);
    const from = (Date.parse(truth.scenario.tenantBlock!.from) - START) / 60_000;
    const cBlocks = bounces.filter((d) => d.event.tenant === C && block.has(d.c.code ?? ''));
    expect(cBlocks.length).toBeGreaterThan(200);
    for (const d of cBlocks) {
      expect(minuteOf(d)).toBeGreaterThanOrEqual(from);
      expect(d.c.entry).toBe(`exo.${d.c.code}`);
      expect(d.event.direction).toBe('outbound');
    }
    expect(new Set(cBlocks.map((d) => d.c.code))).toEqual(block);
    const cOutboundAfter = bounces.filter(
      (d) =>
        d.event.tenant === C &&
        d.event.direction === 'outbound' &&
        minuteOf(d) >= from + 2 &&
        d.event.status === 'fail',
    );
    expect(cOutboundAfter.filter((d) => block.has(d.c.code ?? '')).length / cOutboundAfter.length).toBeGreaterThan(0.8);
    for (const t of [A, B, D])
      expect(bounces.filter((d) => d.event.tenant === t && block.has(d.c.code ?? ''))).toEqual([]);
  });

  it('keeps D a control: steady bounces, no scenario codes', () => {
    const series = perMinute(D, () => true).slice(0, MINUTES);
    const mean = series.reduce((a, b) => a + b, 0) / MINUTES;
    expect(mean).toBeGreaterThan(3);
    for (const n of series.slice(1, MINUTES - 1)) expect(n).toBeLessThan(mean * 3);
    expect(truth.tenants[D]!.bounces['5.7.509'] ?? 0).toBeLessThan(10);
  });
});

describe('steady scenario', () => {
  it('has no spike, no banned IP and no blocked tenant', () => {
    const e = createGenerator({
      events: 60_000,
      seed: 77,
      minutes: MINUTES,
      startMs: START,
      scenario: 'steady',
    }).expected();
    expect(e.scenario.dmarc!.spike).toBeNull();
    expect(e.scenario.ipBan).toBeNull();
    const perMinute = Object.values(e.tenants[A]!.bouncesPerMinute['5.7.509'] ?? {});
    expect(Math.max(...perMinute)).toBeLessThan(12);
    for (const code of ['5.7.606', '5.7.610', '5.7.627', '5.7.641', '5.7.705', '5.7.708', '5.7.750', '4.7.650'])
      expect(e.totals.bounces[code]).toBeUndefined();
  });
});
