/**
 * `ndr demo` (what `npm start` runs after setting up): realistic traffic for four tenants through the
 * real pipeline into ClickHouse, then what an operator would look at: totals, top codes with the fix,
 * and the alerts the traffic raises. Keeps the pipeline and the page running unless --once.
 */
import type { Command } from 'commander';
import { pino } from 'pino';
import cliProgress from 'cli-progress';
import { connectionsFromEnv } from '@ndr/config';
import { createClickHouseClient, identifier, queryRows } from '@ndr/clickhouse';
import { createClassifier, loadCatalog } from '@ndr/classifier';
import { consumerConfig, runConsumer } from '@ndr/consumer';
import { createGenerator, ensureTopics, produceToKafka } from '@ndr/generator';
import { createKafka, groupLag, logLevel } from '@ndr/kafka';
import {
  createAlertEngine,
  createTrends,
  createWebhookNotifier,
  loadRules,
  replayAlerts,
  resolveQuery,
  runApi,
  type Incident,
  type Notifier,
} from '@ndr/api';

interface DemoOptions {
  events: string;
  minutes: string;
  once?: boolean;
  port: string;
}

const say = (s = '') => process.stdout.write(`${s}\n`);
const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)}%` : '-');

export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'feed realistic traffic through the pipeline and show totals, top codes and alerts (what npm start runs)',
    )
    .option('--events <n>', 'how many Kafka records to generate', '60000')
    .option('--minutes <m>', 'event-time span of the traffic, ending now', '60')
    .option('--port <port>', 'port of the trends page and API', process.env.NDR_API_PORT ?? '8080')
    .option('--once', 'exit after showing the results instead of keeping the pipeline and page running')
    .action(async (o: DemoOptions) => {
      const events = Number(o.events);
      const minutes = Number(o.minutes);
      if (!Number.isInteger(events) || events < 1000) throw new Error('--events must be a whole number ≥ 1000');
      if (!Number.isInteger(minutes) || minutes < 10) throw new Error('--minutes must be a whole number ≥ 10');
      const conn = connectionsFromEnv(process.env);
      const log = pino({ name: 'ndr', level: process.env.LOG_LEVEL ?? 'warn' });
      const config = consumerConfig(process.env, { createTopics: true });
      const kafka = createKafka(conn.kafka, { clientId: 'ndr-demo', logLevel: logLevel.NOTHING });
      const tty = process.stdout.isTTY;

      // 1. Traffic.
      const startMs = Math.floor(Date.now() / 60_000) * 60_000 - minutes * 60_000;
      say(
        `1/4  Producing ${events.toLocaleString('en')} Exchange Online records (${minutes} min of event time, 4 tenants) to ${conn.kafka.brokers.join(',')}`,
      );
      say(
        '     A contoso: 5.7.509 DMARC spike · B fabrikam: sending IP banned · C northwind: tenant blocked · D tailspin: normal',
      );
      await ensureTopics(kafka, [...Object.values(config.topics), config.deadLetterTopic]);
      const gen = createGenerator({ events, seed: 1, startMs, minutes, scenario: 'demo', malformed: 25 });
      const bar = tty
        ? new cliProgress.SingleBar(
            { format: '     {bar} {percentage}% {value}/{total} records, {rate}/s' },
            cliProgress.Presets.shades_classic,
          )
        : null;
      bar?.start(events, 0, { rate: 0 });
      const t0 = Date.now();
      await produceToKafka(kafka, config.topics, gen, {
        onProgress: (p) => bar?.update(p.sent, { rate: Math.round(p.sent / Math.max(0.001, p.elapsedMs / 1000)) }),
      });
      bar?.stop();
      const truth = gen.expected();
      say(
        `     sent in ${((Date.now() - t0) / 1000).toFixed(1)} s (${truth.deadLetters.total} deliberately malformed, for the dead-letter topic)`,
      );

      // 2. The pipeline, until it has caught up.
      say(
        `2/4  Running the pipeline (group ${config.groupId}) into ClickHouse ${conn.clickhouse.url}, database ${conn.clickhouse.database}`,
      );
      const consumer = await runConsumer(conn, config, log);
      const admin = kafka.admin();
      await admin.connect();
      const t1 = Date.now();
      let shown = -1;
      for (;;) {
        const behind = await groupLag(admin, config.groupId, Object.values(config.topics));
        if (behind === 0) break;
        // The committed lag moves once per flush: a line (or a redraw) only when it changed.
        if (behind !== shown) {
          if (!tty) say(`     ${behind} records still to write`);
          else process.stdout.write(`\r     ${behind} records still to write   `);
          shown = behind;
        }
        if (Date.now() - t1 > 300_000)
          throw new Error('the pipeline did not catch up within 5 minutes; see the logs (LOG_LEVEL=info)');
        await new Promise((r) => setTimeout(r, 500));
      }
      await admin.disconnect();
      if (tty) process.stdout.write('\r');
      say(
        `     caught up in ${((Date.now() - t1) / 1000).toFixed(1)} s; ${truth.deadLetters.total} malformed records went to ${config.deadLetterTopic} with their reason`,
      );

      // 3. Totals and top codes.
      const client = createClickHouseClient(conn.clickhouse, { application: 'ndr-demo' });
      const db = identifier(conn.clickhouse.database).text;
      const from = Math.floor(startMs / 1000);
      const totals = await queryRows<{
        tenant: string;
        messages: number;
        delivered: number;
        failed: number;
        pending: number;
      }>(
        client,
        `SELECT tenant, sum(messages_total) AS messages, sum(delivered) AS delivered, sum(failed) AS failed, sum(pending) AS pending
         FROM ${db}.v_message_totals_minute WHERE bucket >= toDateTime(${from}, 'UTC') GROUP BY tenant ORDER BY tenant`,
      );
      say('3/4  Messages in the window (exact: each message × recipient once, whatever its status history)');
      say(
        `     ${'tenant'.padEnd(28)}${'messages'.padStart(10)}${'delivered'.padStart(11)}${'failed'.padStart(9)}${'pending'.padStart(9)}  bounce rate`,
      );
      for (const t of totals) {
        say(
          `     ${t.tenant.padEnd(28)}${String(t.messages).padStart(10)}${String(t.delivered).padStart(11)}${String(t.failed).padStart(9)}${String(t.pending).padStart(9)}  ${pct(t.failed, t.messages)}`,
        );
      }
      const classifier = createClassifier(loadCatalog());
      const trends = createTrends(client, conn.clickhouse.database, classifier);
      const top = await trends.top(
        resolveQuery({ since: `${minutes + 90}m`, by: 'code', limit: '8' }, Date.now() + 90 * 60_000),
      );
      say('     Top bounce codes:');
      for (const r of top)
        say(
          `     ${String(r.bounced).padStart(7)}  ${r.key.padEnd(9)} ${r.title ?? ''}${r.who_acts?.length ? `  [${r.who_acts.join(', ')}]` : ''}`,
        );

      // 4. Alerts, evaluated minute by minute over the traffic's event time.
      say('4/4  Alerts (rules evaluated minute by minute over the event time, as they would have fired live)');
      const raised: Incident[] = [];
      const webhook = process.env.NDR_WEBHOOK_URL;
      const forward = webhook
        ? createWebhookNotifier({
            url: webhook,
            format: (process.env.NDR_WEBHOOK_FORMAT as 'json' | 'slack' | 'teams') ?? 'json',
          })
        : null;
      const notifier: Notifier = {
        async notify(i) {
          raised.push(i);
          await forward?.notify(i);
        },
      };
      const engine = createAlertEngine({
        client,
        database: conn.clickhouse.database,
        catalog: loadCatalog(),
        classifier,
        rules: loadRules(process.env.NDR_ALERT_RULES),
        notifier,
        log,
      });
      await engine.init();
      await replayAlerts(engine, from, from + (minutes + 30) * 60);
      const clock = (s: number) => new Date(s * 1000).toISOString().slice(11, 16);
      for (const i of raised) {
        const who = [i.tenant, i.ip && `IP ${i.ip}`, i.sender, i.code && `code ${i.code}`].filter(Boolean).join(' · ');
        if (i.state === 'open') {
          say(`     ${clock(i.opened_at)} ${i.severity.toUpperCase().padEnd(8)} ${i.title}`);
          say(`           ${who} · ${i.count} messages · who acts: ${i.who_acts.join(', ') || '-'}`);
          say(`           fix: ${i.fix}`);
        } else say(`     ${clock(i.resolved_at)} RESOLVED ${i.title} (${who})`);
      }
      if (raised.length === 0)
        say('     no new alerts (already raised by an earlier run: `npx ndr alerts --state all`)');
      if (!webhook) say('     (set NDR_WEBHOOK_URL, and NDR_WEBHOOK_FORMAT=slack|teams, to have them POSTed)');

      if (o.once) {
        await consumer.stop();
        await client.close();
        say(
          '\nDone. Explore: npx ndr trends --since 2h · npx ndr top --by ip · npx ndr alerts --state all · npx ndr serve',
        );
        return;
      }
      const api = await runApi(
        conn,
        {
          port: Number(o.port),
          host: '127.0.0.1',
          alerts: true,
          evaluateEveryMs: 15_000,
          clock: 'wall',
          webhookFormat: 'json',
          ...(webhook ? { webhookUrl: webhook } : {}),
        },
        log,
      );
      say(
        `\nThe pipeline keeps consuming; the trends page is at ${api.url}/ (metrics: http://127.0.0.1:${config.httpPort}/metrics). Ctrl-C to stop.`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => {
          say('\nStopping: writing what was read, committing offsets …');
          Promise.all([api.stop(), consumer.stop(), client.close()]).then(
            () => {
              say('Stopped. Kafka and ClickHouse stay up for the next run; `npm run infra:down` stops them.');
              resolve();
            },
            (err: unknown) => {
              log.error(
                { err },
                'stopping failed: offsets of the last batch may not be committed (they are re-read next run, counted once)',
              );
              process.exitCode = 1;
              resolve();
            },
          );
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
