/**
 * The HTTP API (JSON) and the built-in page. Every query string is validated by a zod schema (the
 * trends one is the CLI's too); a bad value answers 400 with what was wrong.
 * Trends here; tenants, watermark and alerts in store-routes.ts; the page in page-routes.ts.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Classifier } from '@ndr/classifier';
import { registerPageRoutes } from './page-routes.js';
import { resolveQuery } from './query.js';
import { fillSeries } from './series.js';
import { registerStoreRoutes } from './store-routes.js';
import type { Trends } from './trends.js';
import type { AlertEngine } from './alerts/engine.js';

export interface ApiDeps {
  readonly client: ClickHouseClient;
  readonly database: string;
  readonly trends: Trends;
  readonly classifier: Classifier;
  readonly engine?: AlertEngine;
  readonly log?: Logger;
  readonly nowMs?: () => number;
}

export async function createApiServer(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...(deps.log ? { loggerInstance: deps.log as FastifyBaseLogger } : {}),
    // No log line per request (the page polls); errors are logged by the handler below.
    logController: new LogController({ disableRequestLogging: true }),
  }) as unknown as FastifyInstance;
  const now = deps.nowMs ?? Date.now;

  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
    const bad = err.name === 'ZodError' || /^expected |must be|duration/.test(err.message);
    if (bad)
      return reply
        .code(400)
        .send({ error: 'bad request', detail: err.name === 'ZodError' ? JSON.parse(err.message) : err.message });
    deps.log?.error({ err }, 'request failed');
    return reply.code(err.statusCode ?? 500).send({ error: 'internal error', detail: err.message });
  });

  app.get('/api/trends', async (req) => {
    const q = resolveQuery(req.query, now());
    const series = fillSeries(await deps.trends.series(q), q.from, q.to, q.stepSeconds);
    return { query: q, series };
  });
  app.get('/api/top', async (req) => {
    const q = resolveQuery(req.query, now());
    return { query: q, rows: await deps.trends.top(q) };
  });
  app.get('/api/rate', async (req) => {
    const q = resolveQuery(req.query, now());
    return { query: q, points: await deps.trends.rate(q) };
  });
  registerStoreRoutes(app, { client: deps.client, database: deps.database, nowMs: now });
  app.get('/api/explain/:code', async (req, reply) => {
    const { code } = req.params as { code: string };
    const lang = (req.query as { lang?: string }).lang === 'nb' ? 'nb' : 'en';
    const x = deps.classifier.explain(code, lang);
    if (!x.entry) return reply.code(404).send({ error: `no catalogue entry for ${code}` });
    return x;
  });
  app.get('/healthz', async () => 'ok\n');
  app.get('/readyz', async (_req, reply) => {
    try {
      await deps.client.ping();
      return 'ready\n';
    } catch {
      return reply.code(503).send('ClickHouse does not answer\n');
    }
  });

  registerPageRoutes(app);
  return app;
}
