/**
 * The HTTP API (JSON) and the built-in page. Every query string is validated by the same zod
 * schema as the CLI; a bad value answers 400 with what was wrong.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ClickHouseClient } from '@clickhouse/client';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Classifier } from '@ndr/classifier';
import { identifier, sql } from '@ndr/clickhouse';
import { resolveQuery } from './query.js';
import { fillSeries } from './series.js';
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

const PUBLIC = fileURLToPath(new URL('../public/', import.meta.url));
const require = createRequire(import.meta.url);

export async function createApiServer(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...(deps.log ? { loggerInstance: deps.log as FastifyBaseLogger } : {}),
    disableRequestLogging: true,
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
  app.get('/api/alerts', async (req) => {
    const state = (req.query as { state?: string }).state ?? 'open';
    if (!['open', 'resolved', 'all'].includes(state)) throw new Error('expected state=open, resolved or all');
    const where = state === 'all' ? sql`1` : sql`state = ${state}`;
    const rs = await deps.client.query({
      query: `SELECT * FROM ${identifier(deps.database).text}.alerts FINAL WHERE ${where.text} ORDER BY opened_at DESC LIMIT 200`,
      format: 'JSONEachRow',
      clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
    });
    return { alerts: await rs.json() };
  });
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

  // The built-in page and the chart library it uses (served locally, no CDN).
  const page = async (file: string, type: string) => ({ body: await readFile(file), type });
  app.get('/', async (_req, reply) => {
    const p = await page(`${PUBLIC}index.html`, 'text/html; charset=utf-8');
    return reply.type(p.type).send(p.body);
  });
  app.get('/app.js', async (_req, reply) => reply.type('text/javascript').send(await readFile(`${PUBLIC}app.js`)));
  app.get('/vendor/uplot.js', async (_req, reply) =>
    reply.type('text/javascript').send(await readFile(require.resolve('uplot/dist/uPlot.iife.min.js'))),
  );
  app.get('/vendor/uplot.css', async (_req, reply) =>
    reply.type('text/css').send(await readFile(require.resolve('uplot/dist/uPlot.min.css'))),
  );
  return app;
}
