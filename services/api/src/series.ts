/** Time series as charts want them: one array per key, every step present (ClickHouse 18.16 has no WITH FILL). */
import type { SeriesPoint } from './trends.js';

export interface Series {
  key: string;
  total: number;
  points: { t: number; bounced: number }[];
}

export function fillSeries(points: readonly SeriesPoint[], from: number, to: number, step: number): Series[] {
  const start = Math.floor(from / step) * step;
  const byKey = new Map<string, Map<number, number>>();
  for (const p of points) {
    const m = byKey.get(p.key) ?? new Map<number, number>();
    m.set(Number(p.t), Number(p.bounced));
    byKey.set(p.key, m);
  }
  const out: Series[] = [];
  for (const [key, m] of byKey) {
    const pts: { t: number; bounced: number }[] = [];
    let total = 0;
    for (let t = start; t < to; t += step) {
      const v = m.get(t) ?? 0;
      total += v;
      pts.push({ t, bounced: v });
    }
    out.push({ key, total, points: pts });
  }
  return out.sort((a, b) => b.total - a.total || a.key.localeCompare(b.key));
}
