/**
 * Is the current rate a spike against the recent baseline? A robust z-score: the baseline's
 * median and MAD (median absolute deviation, scaled to σ) resist the odd noisy minute, and a
 * minimum count plus a minimum ratio keep small numbers and slow daily swings from paging.
 */
export interface SpikeOptions {
  /** Events per minute the current window must average before anything can fire. */
  readonly minPerMinute: number;
  /** Robust z-score above which it is a spike. */
  readonly z: number;
  /** The current rate must also be at least this many times the baseline median. */
  readonly ratio: number;
  /** Floor for σ, so a perfectly flat baseline (MAD 0) does not make every blip infinite. */
  readonly minSigma: number;
}

export const DEFAULT_SPIKE: SpikeOptions = { minPerMinute: 20, z: 6, ratio: 5, minSigma: 1 };

export interface SpikeVerdict {
  readonly spike: boolean;
  readonly currentPerMinute: number;
  readonly baselineMedian: number;
  readonly baselineSigma: number;
  readonly score: number;
  /** Why it is or is not a spike, for the alert text and for debugging. */
  readonly why: string;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** `baseline`: per-minute counts before the window; `current`: per-minute counts in the window. */
export function detectSpike(
  baseline: readonly number[],
  current: readonly number[],
  opts: SpikeOptions = DEFAULT_SPIKE,
): SpikeVerdict {
  const currentPerMinute = current.length ? current.reduce((a, b) => a + b, 0) / current.length : 0;
  const med = median(baseline);
  const sigma = Math.max(opts.minSigma, 1.4826 * median(baseline.map((v) => Math.abs(v - med))));
  const score = (currentPerMinute - med) / sigma;
  const base = { currentPerMinute, baselineMedian: med, baselineSigma: sigma, score };
  if (currentPerMinute < opts.minPerMinute) {
    return { ...base, spike: false, why: `${fmt(currentPerMinute)}/min is below the ${opts.minPerMinute}/min floor` };
  }
  if (currentPerMinute < opts.ratio * med) {
    return {
      ...base,
      spike: false,
      why: `${fmt(currentPerMinute)}/min is less than ${opts.ratio}× the usual ${fmt(med)}/min`,
    };
  }
  if (score < opts.z) {
    return { ...base, spike: false, why: `z=${fmt(score)} is under ${opts.z}` };
  }
  return {
    ...base,
    spike: true,
    why: `${fmt(currentPerMinute)}/min against a usual ${fmt(med)}/min (z=${fmt(score)})`,
  };
}

const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(1));
