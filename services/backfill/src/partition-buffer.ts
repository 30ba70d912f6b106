/**
 * EventBuffers per ClickHouse partition. `events` is partitioned by day and `agg_minute` by month,
 * and each INSERT makes one new part per partition it touches; 18.16 refuses inserts once a partition has
 * 300 active parts (and slows them from 150). So rows are held per UTC day and every flush writes one
 * day: one `events` part per insert and one `agg_minute` part from its materialized view, the fewest possible. The fullest day goes
 * first, so sorted exports (the usual case) give full-size inserts of a single day.
 *
 * Each day remembers the first row number it holds per file, which is what the checkpoint needs: a file
 * is durable up to (the smallest first row still held anywhere) − 1.
 */
import type { Classification } from '@ndr/classifier';
import type { NormalizedEvent } from '@ndr/events';
import { EventBuffer } from '@ndr/writer';

export const DAY_MS = 86_400_000;

export interface DayPart {
  /** Days since the epoch (UTC), the `events` partition. */
  readonly day: number;
  readonly buffer: EventBuffer;
  rows: number;
  /** File index → first row number of that file held here. */
  readonly firstRow: Map<number, number>;
  lastFile: number;
}

export class PartitionedBuffer {
  private parts = new Map<number, DayPart>();
  private heldRows = 0;
  private heldBytes = 0;

  get rows(): number {
    return this.heldRows;
  }

  get approxBytes(): number {
    return this.heldBytes;
  }

  get partitions(): number {
    return this.parts.size;
  }

  add(e: NormalizedEvent, c: Classification, source: string, ingestedAtMs: number, file: number, rowNo: number): void {
    const day = Math.floor(e.event_time_ms / DAY_MS);
    let p = this.parts.get(day);
    if (p === undefined) {
      p = { day, buffer: new EventBuffer(), rows: 0, firstRow: new Map(), lastFile: -1 };
      this.parts.set(day, p);
    }
    const before = p.buffer.approxBytes;
    p.buffer.add(e, c, source, ingestedAtMs);
    this.heldBytes += p.buffer.approxBytes - before;
    p.rows++;
    this.heldRows++;
    if (p.lastFile !== file) {
      if (!p.firstRow.has(file)) p.firstRow.set(file, rowNo);
      p.lastFile = file;
    }
  }

  /** Removes and returns the day holding the most rows. */
  takeFullest(): DayPart | undefined {
    let best: DayPart | undefined;
    for (const p of this.parts.values()) if (best === undefined || p.rows > best.rows) best = p;
    if (best !== undefined) this.remove(best);
    return best;
  }

  private remove(p: DayPart): void {
    this.parts.delete(p.day);
    this.heldRows -= p.rows;
    this.heldBytes -= p.buffer.approxBytes;
  }

  /** The smallest row number of `file` still held, or undefined when none is. */
  firstHeldRow(file: number): number | undefined {
    let min: number | undefined;
    for (const p of this.parts.values()) {
      const r = p.firstRow.get(file);
      if (r !== undefined && (min === undefined || r < min)) min = r;
    }
    return min;
  }
}
