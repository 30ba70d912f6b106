/**
 * In-memory aggregation between flushes: events grouped per (minute bucket, dimensions), each group
 * keeping the keys it saw. Holds the raw rows too, so one flush writes both tables.
 */
import type { Classification } from '@ndr/classifier';
import type { NormalizedEvent } from '@ndr/events';
import { AGG_DIMENSIONS, aggDims, isBounce, toEventRow, type AggDims, type AggRow, type EventRow } from './rows.js';

export interface BufferContents {
  readonly events: EventRow[];
  readonly aggregates: AggRow[];
  /** Events added (= raw rows). */
  readonly eventCount: number;
  /** Rough size of what is held, for backpressure. */
  readonly approxBytes: number;
}

export class AggregateBuffer {
  private groups = new Map<string, AggRow>();
  private events: EventRow[] = [];
  private bytes = 0;

  get eventCount(): number {
    return this.events.length;
  }

  get approxBytes(): number {
    return this.bytes;
  }

  add(e: NormalizedEvent, c: Classification, source: string, ingestedAtMs: number): void {
    const row = toEventRow(e, c, source, ingestedAtMs);
    const dims = aggDims(e, row, isBounce(e, c));
    const key = groupKey(dims);
    let g = this.groups.get(key);
    if (!g) {
      g = { ...dims, message_keys: [], event_keys: [] };
      this.groups.set(key, g);
      this.bytes += key.length + 64;
    }
    g.message_keys.push(row.message_key);
    g.event_keys.push(row.natural_key);
    this.events.push(row);
    // Rough: both key strings twice (group arrays + raw row) plus the row's text fields.
    this.bytes +=
      2 * (row.message_key.length + row.natural_key.length) +
      row.diagnostic.length +
      row.subject.length +
      row.sender.length +
      row.recipient.length +
      200;
  }

  /** Hands over everything held and starts empty. */
  drain(): BufferContents {
    const out: BufferContents = {
      events: this.events,
      aggregates: [...this.groups.values()],
      eventCount: this.events.length,
      approxBytes: this.bytes,
    };
    this.groups = new Map();
    this.events = [];
    this.bytes = 0;
    return out;
  }
}

/** JSON keeps hostile values (separators, quotes) from making two groups collide. */
function groupKey(d: AggDims): string {
  return JSON.stringify(AGG_DIMENSIONS.map((name) => d[name]));
}
