/**
 * Small reads straight from the store, for the built-in page and scripts: the tenants seen, the
 * data's event-time watermark and the stored alerts. Values reach SQL only through `sql` / `inList`.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { identifier, inList, queryRows, raw, sql, type SqlFragment } from '@ndr/clickhouse';
import { dataWatermark } from './alerts/engine.js';

export interface StoreDeps {
  readonly client: ClickHouseClient;
  readonly database: string;
  readonly nowMs: () => number;
}

const tenantsQuery = z.object({ limit: z.coerce.number().int().min(1).max(10_000).default(1000) }).strict();

const STATES = { open: ['open'], resolved: ['resolved'], all: ['open', 'resolved'] } as const;
const alertsQuery = z
  .object({
    state: z.enum(['open', 'resolved', 'all'], { error: 'expected state=open, resolved or all' }).default('open'),
    tenant: z.string().min(1).max(256).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .strict();

export function registerStoreRoutes(app: FastifyInstance, deps: StoreDeps): void {
  const db = raw(identifier(deps.database).text);
  const rows = <T>(query: SqlFragment) => queryRows<T>(deps.client, query.text);

  /** Every tenant with aggregates, and the newest minute seen for it (epoch seconds). */
  app.get('/api/tenants', async (req) => {
    const q = tenantsQuery.parse(req.query);
    const tenants = await rows<{ tenant: string; last_seen: number }>(
      sql`SELECT tenant, toUInt32(max(bucket)) AS last_seen FROM ${db}.agg_minute
          GROUP BY tenant ORDER BY tenant LIMIT ${q.limit}`,
    );
    return { tenants };
  });

  /**
   * The newest minute with data (epoch seconds, null when there is none) and the server's clock.
   * Data whose event time is in the past (a replay, synthetic traffic) is shown up to the watermark.
   */
  app.get('/api/watermark', async () => {
    const t = await dataWatermark(deps.client, deps.database);
    return { watermark: t > 0 ? t : null, now: Math.floor(deps.nowMs() / 1000) };
  });

  /** The newest state of each stored incident, optionally for one tenant. */
  app.get('/api/alerts', async (req) => {
    const q = alertsQuery.parse(req.query);
    let where = sql`state IN ${inList(STATES[q.state])}`;
    if (q.tenant) where = sql`${where} AND tenant = ${q.tenant.toLowerCase()}`;
    const alerts = await rows(
      sql`SELECT * FROM ${db}.alerts FINAL WHERE ${where} ORDER BY opened_at DESC LIMIT ${q.limit}`,
    );
    return { alerts };
  });
}
