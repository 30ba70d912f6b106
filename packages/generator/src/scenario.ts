/**
 * What happens when, per minute of the time range. `demo`:
 *  - A (1st tenant): 5.7.509 DMARC rejections at ~2/min, spiking to ~200/min for a few minutes;
 *  - B (2nd): its relay IP is first rate-limited (4.7.650 defers), then banned (5.7.606–649 naming the IP,
 *    and Outlook.com's `(S3150)` block-list reply);
 *  - C (3rd): the tenant is blocked (5.7.705, then also 5.7.708 and 5.7.750) for all outbound mail;
 *  - D (4th) and any further tenants: steady normal bounces (control).
 * `steady`: every tenant behaves like the control; A keeps its ~2/min DMARC baseline.
 *
 * Absolute rates (2/min, 200/min) hold at ≥ 1,500 records per minute; below that they scale down with the
 * volume so the spike keeps its ~100× shape without crowding out everything else.
 */
import { Rng } from './random.js';
import { minuteKey } from './time-format.js';

export type ScenarioName = 'demo' | 'steady';

export const REFERENCE_RECORDS_PER_MINUTE = 1500;
export const DMARC_BASELINE_PER_MINUTE = 2;
export const DMARC_SPIKE_PER_MINUTE = 200;

export interface Scenario {
  readonly name: ScenarioName;
  /** DMARC (5.7.509) messages of tenant A in each minute (integers, deterministic). */
  readonly dmarcPerMinute: readonly number[];
  /** Spike window [from, to) in minutes since start; empty in `steady`. */
  readonly spike: { from: number; to: number } | null;
  /** B's relay IP: rate-limited from `warnFrom`, banned from `banFrom` (minutes); null in `steady`. */
  readonly ipBan: { warnFrom: number; banFrom: number } | null;
  /** C blocked from `from` (minutes); the first `onlyThresholdFor` minutes show only 5.7.705. */
  readonly tenantBlock: { from: number; onlyThresholdFor: number } | null;
}

export function buildScenario(
  name: ScenarioName,
  minutes: number,
  validRecords: number,
  seed: string | number,
): Scenario {
  const rng = new Rng(seed, 'scenario');
  const scale = Math.min(1, validRecords / minutes / REFERENCE_RECORDS_PER_MINUTE);
  const demo = name === 'demo';
  const spikeLen = Math.min(5, Math.max(1, Math.floor(minutes / 6)));
  const spikeFrom = Math.floor(minutes * 0.4);
  const spike = demo && minutes >= 3 ? { from: spikeFrom, to: Math.min(minutes, spikeFrom + spikeLen) } : null;
  const dmarcPerMinute = Array.from({ length: minutes }, (_, m) => {
    const inSpike = spike !== null && m >= spike.from && m < spike.to;
    const rate = (inSpike ? DMARC_SPIKE_PER_MINUTE * (0.9 + 0.2 * rng.next()) : DMARC_BASELINE_PER_MINUTE) * scale;
    return rng.round(rate);
  });
  return {
    name,
    dmarcPerMinute,
    spike,
    ipBan: demo ? { warnFrom: Math.floor(minutes * 0.2), banFrom: Math.floor(minutes * 0.3) } : null,
    tenantBlock: demo
      ? { from: Math.floor(minutes * 0.55), onlyThresholdFor: Math.max(1, Math.floor(minutes * 0.05)) }
      : null,
  };
}

/** The scenario as facts for the ground truth (times as ISO minutes). */
export function describeScenario(
  s: Scenario,
  startMs: number,
  tenants: ReadonlyArray<{ id: string; relayIp: string }>,
) {
  const at = (minute: number) => minuteKey(startMs + minute * 60_000);
  const [a, b, c, d] = tenants;
  return {
    name: s.name,
    dmarc: a
      ? {
          tenant: a.id,
          code: '5.7.509',
          spike: s.spike ? { from: at(s.spike.from), to: at(s.spike.to) } : null,
          baselinePerMinute: DMARC_BASELINE_PER_MINUTE,
          spikePerMinute: DMARC_SPIKE_PER_MINUTE,
          plannedPerMinute: s.dmarcPerMinute,
        }
      : null,
    ipBan:
      b && s.ipBan
        ? {
            tenant: b.id,
            ip: b.relayIp,
            rateLimitedFrom: at(s.ipBan.warnFrom),
            bannedFrom: at(s.ipBan.banFrom),
            codes: ['4.7.650', '5.7.606', '5.7.610', '5.7.627', '5.7.641', '5.7.1'],
          }
        : null,
    tenantBlock:
      c && s.tenantBlock
        ? { tenant: c.id, from: at(s.tenantBlock.from), codes: ['5.7.705', '5.7.708', '5.7.750'] }
        : null,
    control: d ? d.id : null,
  };
}
