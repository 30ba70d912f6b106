/**
 * Retention by dropping whole partitions (18.16 has no TTL; on newer servers this works too and
 * keeps one mechanism). `events` is partitioned by day, `agg_minute` by month: a partition is
 * dropped only when all of it is older than the cut-off.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { identifier, queryRows, sql } from '@ndr/clickhouse';

export interface RetentionPolicy {
  /** Keep raw events this many days. */
  readonly eventsDays: number;
  /** Keep per-minute aggregates this many days (whole months are dropped). */
  readonly aggregatesDays: number;
}

export interface PartitionDrop {
  readonly table: string;
  readonly partitionId: string;
  readonly rows: number;
  readonly newest: string;
}

/** Which partitions fall entirely before the cut-off. Pure: tested without a server. */
export function partitionsToDrop(
  parts: readonly { table: string; partition_id: string; rows: number; max_time: number }[],
  policy: RetentionPolicy,
  nowMs: number,
): PartitionDrop[] {
  const cutoff: Record<string, number> = {
    events: nowMs / 1000 - policy.eventsDays * 86_400,
    agg_minute: nowMs / 1000 - policy.aggregatesDays * 86_400,
  };
  const byPartition = new Map<string, { table: string; partitionId: string; rows: number; newest: number }>();
  for (const p of parts) {
    const k = `${p.table}/${p.partition_id}`;
    const cur = byPartition.get(k) ?? { table: p.table, partitionId: p.partition_id, rows: 0, newest: 0 };
    cur.rows += Number(p.rows);
    cur.newest = Math.max(cur.newest, Number(p.max_time));
    byPartition.set(k, cur);
  }
  return [...byPartition.values()]
    .filter((p) => cutoff[p.table] !== undefined && p.newest < (cutoff[p.table] as number))
    .map((p) => ({
      table: p.table,
      partitionId: p.partitionId,
      rows: p.rows,
      newest: new Date(p.newest * 1000).toISOString(),
    }))
    .sort((a, b) => a.table.localeCompare(b.table) || a.partitionId.localeCompare(b.partitionId));
}

/**
 * `max_time` of a part is the newest value of the partition key's time column. For a
 * partition that contains only the bucket's Date, ClickHouse reports max_date; both are read.
 */
export async function applyRetention(
  client: ClickHouseClient,
  database: string,
  policy: RetentionPolicy,
  opts: { dryRun?: boolean; nowMs?: number } = {},
): Promise<PartitionDrop[]> {
  const parts = await queryRows<{ table: string; partition_id: string; rows: number; max_time: number }>(
    client,
    sql`SELECT table, partition_id, rows, greatest(toUInt32(max_time), toUInt32(toDateTime(max_date)) + 86399) AS max_time
        FROM system.parts WHERE database = ${database} AND active AND table IN ('events', 'agg_minute')`.text,
  );
  const drops = partitionsToDrop(parts, policy, opts.nowMs ?? Date.now());
  if (!opts.dryRun) {
    for (const d of drops) {
      await client.command({
        query: `ALTER TABLE ${identifier(database).text}.${identifier(d.table).text} DROP PARTITION ID ${sql`${d.partitionId}`.text}`,
      });
    }
  }
  return drops;
}
