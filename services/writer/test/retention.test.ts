import { describe, expect, it } from 'vitest';
import { partitionsToDrop } from '../src/retention.js';

const day = 86_400;
const now = Date.UTC(2026, 10, 23);
const t = (daysAgo: number) => now / 1000 - daysAgo * day;

describe('partitionsToDrop', () => {
  it('drops only partitions entirely older than each table’s cut-off', () => {
    const drops = partitionsToDrop(
      [
        { table: 'events', partition_id: '20261001', rows: 10, max_time: t(53) },
        { table: 'events', partition_id: '20261001', rows: 5, max_time: t(53) + 3600 }, // two parts, one partition
        { table: 'events', partition_id: '20261120', rows: 7, max_time: t(3) },
        { table: 'agg_minute', partition_id: '202510', rows: 100, max_time: t(420) },
        { table: 'agg_minute', partition_id: '202611', rows: 100, max_time: t(0) },
        { table: 'schema_migrations', partition_id: 'all', rows: 3, max_time: t(900) },
      ],
      { eventsDays: 30, aggregatesDays: 400 },
      now,
    );
    expect(drops.map((d) => [d.table, d.partitionId, d.rows])).toEqual([
      ['agg_minute', '202510', 100],
      ['events', '20261001', 15],
    ]);
  });

  it('keeps a partition whose newest row is inside the period', () => {
    expect(
      partitionsToDrop(
        [{ table: 'events', partition_id: 'x', rows: 1, max_time: t(29) }],
        { eventsDays: 30, aggregatesDays: 400 },
        now,
      ),
    ).toEqual([]);
  });
});
