import { describe, expect, it } from 'vitest';
import { detectSpike, median } from '../src/alerts/spike.js';

/** A deterministic pseudo-random sequence, so "noise" is reproducible. */
function noise(seed: number, n: number, mean: number, spread: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return Math.max(0, Math.round(mean + ((s / 2 ** 31) * 2 - 1) * spread));
  });
}

describe('detectSpike', () => {
  it('fires on 5.7.509 jumping from ~2/min to ~200/min', () => {
    const v = detectSpike(noise(1, 180, 2, 2), [190, 210]);
    expect(v.spike).toBe(true);
    expect(v.baselineMedian).toBeLessThanOrEqual(3);
    expect(v.why).toMatch(/against a usual/);
  });

  it('stays quiet on flat noise', () => {
    const base = noise(2, 180, 40, 10);
    for (let i = 0; i < 50; i++) expect(detectSpike(base, noise(100 + i, 2, 40, 10)).spike).toBe(false);
  });

  it('stays quiet through a busy tenant’s daily rhythm (a slow ramp)', () => {
    // 3 h baseline rising from 200 to 400/min, then the next minutes continue the ramp.
    const ramp = Array.from({ length: 180 }, (_, i) => 200 + Math.round((200 * i) / 180));
    expect(detectSpike(ramp, [402, 405]).spike).toBe(false);
  });

  it('does not page on small numbers', () => {
    expect(detectSpike(Array(180).fill(0), [3, 4]).spike).toBe(false);
    expect(detectSpike(Array(180).fill(0), [3, 4]).why).toMatch(/floor/);
  });

  it('needs both the ratio and the z-score', () => {
    // High z but not 5× the usual level: a busy tenant with a steady baseline.
    expect(detectSpike(Array(180).fill(100), [150, 150], { minPerMinute: 20, z: 6, ratio: 5, minSigma: 1 }).spike).toBe(
      false,
    );
    expect(detectSpike(Array(180).fill(100), [600, 600], { minPerMinute: 20, z: 6, ratio: 5, minSigma: 1 }).spike).toBe(
      true,
    );
  });

  it('computes medians', () => {
    expect(median([])).toBe(0);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
