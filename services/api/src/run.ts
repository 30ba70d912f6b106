/**
 * `ndr serve`: the HTTP API and, optionally, the alerting loop in one process.
 * The alert clock is the wall clock by default; `data` uses the aggregates' own event-time
 * watermark (for replays and synthetic traffic whose event times are in the past).
 */
import type { Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import { createClassifier, loadCatalog } from '@ndr/classifier';
import { createClickHouseClient } from '@ndr/clickhouse';
import type { Connections } from '@ndr/config';
import { createAlertEngine, dataWatermark, type AlertEngine, type Notifier } from './alerts/engine.js';
import { loadRules } from './alerts/rules.js';
import { createWebhookNotifier, type WebhookFormat } from './alerts/webhook.js';
import { createApiServer } from './server.js';
import { createTrends } from './trends.js';

export interface ServeOptions {
  readonly port: number;
  readonly host: string;
  readonly alerts: boolean;
  readonly evaluateEveryMs: number;
  readonly clock: 'wall' | 'data';
  readonly rulesFile?: string;
  readonly webhookUrl?: string;
  readonly webhookFormat: WebhookFormat;
}

export interface RunningApi {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly engine: AlertEngine | null;
  /** One evaluation now (tests, `ndr alerts evaluate`). */
  evaluateNow(): Promise<number>;
  stop(): Promise<void>;
}

export async function runApi(conn: Connections, opts: ServeOptions, log: Logger): Promise<RunningApi> {
  const catalog = loadCatalog();
  const classifier = createClassifier(catalog);
  const client = createClickHouseClient(conn.clickhouse, { application: 'ndr-api' });
  const trends = createTrends(client, conn.clickhouse.database, classifier);
  let engine: AlertEngine | null = null;
  if (opts.alerts) {
    const notifier: Notifier = opts.webhookUrl
      ? createWebhookNotifier({ url: opts.webhookUrl, format: opts.webhookFormat })
      : {
          notify: async (i) =>
            log.warn(
              { incident: i.incident_key, state: i.state, title: i.title },
              'alert (no webhook configured: set NDR_WEBHOOK_URL)',
            ),
        };
    engine = createAlertEngine({
      client,
      database: conn.clickhouse.database,
      catalog,
      classifier,
      rules: loadRules(opts.rulesFile),
      notifier,
      log: log.child({ module: 'alerts' }),
    });
    await engine.init();
  }
  const app = await createApiServer({
    client,
    database: conn.clickhouse.database,
    trends,
    classifier,
    ...(engine ? { engine } : {}),
    log,
  });
  const address = await app.listen({ port: opts.port, host: opts.host });
  const clock = async () =>
    opts.clock === 'data'
      ? (await dataWatermark(client, conn.clickhouse.database)) + 60
      : Math.floor(Date.now() / 1000);
  const evaluateNow = async () => {
    if (!engine) return 0;
    const now = await clock();
    const changed = await engine.evaluate(now);
    for (const i of changed)
      log.info(
        { incident: i.incident_key, state: i.state, count: i.count },
        i.state === 'open' ? 'alert raised' : 'alert resolved',
      );
    return changed.length;
  };
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  if (engine) {
    timer = setInterval(() => {
      if (running) return;
      running = true;
      evaluateNow()
        .catch((err: unknown) => log.error({ err }, 'alert evaluation failed; will retry'))
        .finally(() => (running = false));
    }, opts.evaluateEveryMs);
  }
  log.info({ url: address, alerts: opts.alerts, clock: opts.clock, webhook: opts.webhookUrl ?? null }, 'API listening');
  return {
    app,
    url: address,
    engine,
    evaluateNow,
    async stop() {
      clearInterval(timer);
      await app.close();
      await client.close();
    },
  };
}
