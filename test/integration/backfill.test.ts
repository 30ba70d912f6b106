/**
 * `ndr backfill` against the real ClickHouse (and Kafka where the live path or --via-kafka is involved).
 * Exact totals are read through the views and merged states (helpers/exactness.ts) and compared with
 * counts made independently of the pipeline: @ndr/generator's ground truth, or the synthetic CSV
 * writer's own counts.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClassifier, loadCatalog } from '@ndr/classifier';
import { createWriter } from '@ndr/writer';
import { backfillConfig, createBackfill, type BackfillConfigInput, type BackfillSummary } from '@ndr/backfill';
import { writeGeneratedExports } from '../../services/backfill/test/helpers/generated-exports.js';
import { fixture, sample, silentLog, tempDir } from '../../services/backfill/test/helpers/files.js';
import { writeSyntheticCsv } from '../../services/backfill/bench/synthetic-csv.mjs';
import { createTestDatabase, type TestDatabase } from '../helpers/clickhouse.js';
import { actualTotals, expectedTotals, produceGenerated, type Totals } from '../helpers/exactness.js';
import { testKafka } from '../helpers/kafka.js';
import {
  createPipelineTopics,
  migrateTestDatabase,
  startTestConsumer,
  testConsumerConfig,
  waitForCommitted,
} from '../helpers/pipeline.js';
import { randomName } from '../helpers/names.js';

const CLI = fileURLToPath(new URL('../../services/cli/bin/ndr.js', import.meta.url));
const classifier = createClassifier(loadCatalog());

let db: TestDatabase;
let tmp: ReturnType<typeof tempDir>;

beforeEach(async () => {
  db = await createTestDatabase('backfill');
  await migrateTestDatabase(db);
  tmp = tempDir();
});
afterEach(async () => {
  await db?.drop();
  tmp?.cleanup();
});

/** In-process backfill with the live pipeline's writer on the test database. */
async function backfill(over: Partial<BackfillConfigInput> & Pick<BackfillConfigInput, 'paths'>) {
  const writer = createWriter({ database: db.name }, { client: db.client });
  const config = backfillConfig({
    statePath: join(tmp.dir, 'state.json'),
    rejectsPath: join(tmp.dir, 'rejects.ndjson'),
    database: db.name,
    ...over,
  });
  return createBackfill(config, { classifier, writer, log: silentLog }).run();
}

/** The built CLI as a child process (as an operator runs it). */
function runCli(args: string[]) {
  let out = '';
  let err = '';
  const proc = spawn(process.execPath, [CLI, 'backfill', ...args], {
    env: { ...process.env, CLICKHOUSE_DATABASE: db.name, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { proc, exited, out: () => out, err: () => err };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Message totals only (the synthetic CSV has trace rows only). */
const messageTotals = (t: Totals) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.messages]));

describe('ndr backfill into ClickHouse', () => {
  it('(a) reads a folder of CSV, JSON and .eml files, each in its own format; a corrupt file is reported and skipped', async () => {
    const dir = join(tmp.dir, 'exports');
    mkdirSync(join(dir, 'ndr'), { recursive: true });
    copyFileSync(sample('message-trace-v2.sample.json'), join(dir, 'v2.json'));
    copyFileSync(sample('message-trace-graph.sample.json'), join(dir, 'graph-page.json'));
    copyFileSync(sample('historical-search.sample.utf16le.csv'), join(dir, 'historical.csv'));
    copyFileSync(sample('historical-search-detail.sample.csv'), join(dir, 'extended.csv'));
    copyFileSync(sample('message-trace-detail.sample.json'), join(dir, 'detail.json'));
    copyFileSync(fixture('ndr-exo-5.7.509.eml'), join(dir, 'ndr', 'exo.eml'));
    copyFileSync(fixture('dsn-sendmail-5.2.2.eml'), join(dir, 'ndr', 'sendmail.eml'));
    const v2Text = readFileSync(sample('message-trace-v2.sample.json'), 'utf8');
    writeFileSync(join(dir, 'corrupt.json'), v2Text.slice(0, Math.floor(v2Text.length / 2)));

    const summary = await backfill({ paths: [dir], tenant: 'contoso.onmicrosoft.com' });
    const files = Object.fromEntries(
      summary.files.list.map((f) => [f.path.slice(dir.length + 1), { format: f.format, status: f.status }]),
    );
    expect(files).toEqual({
      'corrupt.json': { format: 'v2-json', status: 'failed' },
      'detail.json': { format: 'detail-json', status: 'done' },
      'extended.csv': { format: 'detail-csv', status: 'done' },
      'graph-page.json': { format: 'graph-json', status: 'done' },
      'historical.csv': { format: 'historical-csv', status: 'done' },
      'ndr/exo.eml': { format: 'eml', status: 'done' },
      'ndr/sendmail.eml': { format: 'eml', status: 'done' },
      'v2.json': { format: 'v2-json', status: 'done' },
    });
    expect(summary.files.failed).toBe(1);
    expect(summary.files.list.find((f) => f.status === 'failed')!.error).toMatch(/unexpected end of JSON/);
    expect(summary.rows.rejected).toBe(0);
    expect(summary.rows.written).toBe(summary.rows.accepted);

    // Independently of the pipeline: the distinct (MessageTraceId, recipient) pairs of the trace exports.
    const keys = new Set<string>();
    for (const r of JSON.parse(v2Text) as { MessageTraceId: string; RecipientAddress: string }[])
      keys.add(`${r.MessageTraceId}|${r.RecipientAddress.toLowerCase()}`);
    const graph = JSON.parse(readFileSync(sample('message-trace-graph.sample.json'), 'utf8')) as {
      value: { id: string; recipientAddress: string }[];
    };
    for (const r of graph.value) keys.add(`${r.id}|${r.recipientAddress.toLowerCase()}`);
    const historical = readFileSync(sample('historical-search.sample.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
    for (const line of historical) {
      const cols = line.slice(1, -1).split('","');
      for (const part of cols[2]!.split(';')) keys.add(`${cols[6]}|${part.split('##')[0]!.toLowerCase()}`);
    }
    const totals = await actualTotals(db);
    expect(Object.keys(totals)).toEqual(['contoso.onmicrosoft.com']);
    expect(totals['contoso.onmicrosoft.com']!.messages.total).toBe(keys.size);
    // The DMARC rejection of 9b8e1c22… is reported by the detail JSON (Fail), the Extended CSV (FAIL)
    // and the Exchange NDR: one bounced message. The Sendmail DSN's 5.2.2 is another.
    expect(totals['contoso.onmicrosoft.com']!.bounces['5.7.509']).toBe(1);
    expect(totals['contoso.onmicrosoft.com']!.bounces['5.2.2']).toBe(1);
    const sources = await db.rows<{ schema: string; n: number }>(
      `SELECT schema, count() AS n FROM ${db.name}.events FINAL
       WHERE message_trace_id = '9b8e1c22-4d5f-4e6a-2a31-08de27a19c42' AND recipient = 'ap@fabrikam.com' AND status IN ('fail', 'failed')
       GROUP BY schema ORDER BY schema`,
    );
    expect(sources).toEqual([
      { schema: 'message_trace', n: 1 },
      { schema: 'ndr', n: 1 },
      { schema: 'trace_detail', n: 1 },
    ]);
  });

  it('(b) rows already ingested live, the same backfill again and an overlapping export change no total', async () => {
    const options = { events: 20_000, seed: 11, duplicateRatio: 0.1, minutes: 30 };
    // Live first: the generator produces to Kafka like a poller, the real consumer writes ClickHouse.
    const kafka = testKafka();
    const topics = await createPipelineTopics(kafka);
    const groupId = randomName('bf-live');
    try {
      const truth = await produceGenerated(kafka, topics, options);
      const consumer = await startTestConsumer(db, testConsumerConfig(topics, groupId));
      try {
        await waitForCommitted(kafka, groupId, [topics.message_trace, topics.trace_detail, topics.ndr]);
      } finally {
        await consumer.stop();
      }
      const expected = expectedTotals(truth);
      expect(await actualTotals(db)).toEqual(expected);

      // The same traffic as exported files (CSV, JSON lines, mbox of NDR e-mails) backfilled on top.
      const dir = join(tmp.dir, 'exports');
      mkdirSync(dir);
      const exports = await writeGeneratedExports(dir, options);
      expect(exports.truth).toEqual(truth);
      const first = await backfill({ paths: [dir], batchRows: 3_000 });
      expect(first.rows.rejected).toBe(0);
      expect(first.rows.written).toBe(20_000);
      expect(await actualTotals(db)).toEqual(expected);

      // Again, from scratch (a new state file, so every file is read and written again).
      const again = await backfill({ paths: [dir], statePath: join(tmp.dir, 'state-2.json') });
      expect(again.rows.written).toBe(20_000);
      expect(await actualTotals(db)).toEqual(expected);

      // An overlapping export: every other trace row again, in a file of its own, newest first.
      const overlap = join(tmp.dir, 'overlap.csv');
      const header = readFileSync(exports.files.traceCsv, 'utf8').split('\n', 1)[0]!;
      writeFileSync(
        overlap,
        `${header}\n${exports.traceLines
          .filter((_, i) => i % 2 === 0)
          .reverse()
          .join('')}`,
      );
      const o = await backfill({ paths: [overlap] });
      expect(o.files.list[0]!.format).toBe('v2-csv');
      expect(o.rows.written).toBe(Math.ceil(exports.traceLines.length / 2));
      expect(await actualTotals(db)).toEqual(expected);
    } finally {
      await topics.cleanup();
    }
  });

  it('(c) a backfill stopped by SIGTERM, then killed with SIGKILL halfway, then run again ends with exact totals', async () => {
    const dir = join(tmp.dir, 'exports');
    mkdirSync(dir);
    const exports = await writeGeneratedExports(dir, { events: 60_000, seed: 23, duplicateRatio: 0.2 });
    const state = join(tmp.dir, 'state.json');
    const args = [
      dir,
      '--state',
      state,
      '--rejects',
      join(tmp.dir, 'rejects.ndjson'),
      '--batch-rows',
      '1000',
      '--no-progress',
    ];
    const durableRows = () =>
      existsSync(state)
        ? Object.values(
            (JSON.parse(readFileSync(state, 'utf8')) as { files: Record<string, { durableRows: number }> }).files,
          ).reduce((n, f) => n + f.durableRows, 0)
        : 0;
    /** Waits until the checkpoint says more than `than` records are durable. */
    const durableAbove = async (than: number) => {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const n = durableRows();
        if (n > than) return n;
        await sleep(20);
      }
      throw new Error(`checkpoint stuck at ${durableRows()} records`);
    };

    // SIGTERM: flush, save the checkpoint, exit 143 saying how to resume.
    const first = runCli(args);
    await durableAbove(0);
    first.proc.kill('SIGTERM');
    expect((await first.exited).code).toBe(143);
    expect(first.out()).toMatch(/interrupted \(SIGTERM\)[\s\S]*to resume, run the same command again/);
    const afterTerm = durableRows();

    // SIGKILL: no chance to flush; the checkpoint is behind what was written.
    const second = runCli(args);
    await durableAbove(afterTerm);
    second.proc.kill('SIGKILL');
    expect((await second.exited).signal).toBe('SIGKILL');
    expect(await actualTotals(db)).not.toEqual(expectedTotals(exports.truth));

    const third = runCli([...args, '--json']);
    const { code } = await third.exited;
    expect(code, third.err()).toBe(0);
    const summary = JSON.parse(third.out()) as BackfillSummary;
    expect(summary.rows.skippedBeforeCheckpoint).toBeGreaterThan(afterTerm);
    expect(summary.rows.rejected).toBe(0);
    expect(await actualTotals(db)).toEqual(expectedTotals(exports.truth));
  });

  it('(d) a 200,000-row CSV gives exact totals with peak RSS at most 200 MB (1,000,000 rows: the benchmark)', async () => {
    const csv = join(tmp.dir, 'trace-200k.csv');
    const expected = await writeSyntheticCsv(csv, { rows: 200_000, seed: 4, days: 3 });
    const run = runCli([csv, '--state', join(tmp.dir, 'state.json'), '--rejects', join(tmp.dir, 'r.ndjson'), '--json']);
    const { code } = await run.exited;
    expect(code, run.err()).toBe(0);
    const summary = JSON.parse(run.out()) as BackfillSummary;
    expect(summary.rows).toMatchObject({ read: 200_000, written: 200_000, rejected: 0 });
    expect(summary.peakRssMb).toBeLessThanOrEqual(200);
    expect(messageTotals(await actualTotals(db))).toEqual(expected.tenants);
  });

  it('--via-kafka produces the rows to the input topics, and the consumer reaches the same exact totals', async () => {
    const kafka = testKafka();
    const topics = await createPipelineTopics(kafka);
    const groupId = randomName('bf-kafka');
    try {
      const dir = join(tmp.dir, 'exports');
      mkdirSync(dir);
      const exports = await writeGeneratedExports(dir, { events: 10_000, seed: 31, duplicateRatio: 0.1 });
      const run = spawn(
        process.execPath,
        [
          CLI,
          'backfill',
          dir,
          '--via-kafka',
          '--state',
          join(tmp.dir, 's.json'),
          '--rejects',
          join(tmp.dir, 'r.ndjson'),
          '--json',
        ],
        {
          env: {
            ...process.env,
            NDR_TOPIC_MESSAGE_TRACE: topics.message_trace,
            NDR_TOPIC_TRACE_DETAIL: topics.trace_detail,
            NDR_TOPIC_NDR: topics.ndr,
            LOG_LEVEL: 'warn',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      let err = '';
      run.stdout.on('data', (d: Buffer) => (out += d.toString()));
      run.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const code = await new Promise<number | null>((resolve) => run.on('exit', resolve));
      expect(code, err).toBe(0);
      expect((JSON.parse(out) as BackfillSummary).rows.written).toBe(10_000);
      const consumer = await startTestConsumer(db, testConsumerConfig(topics, groupId));
      try {
        await waitForCommitted(kafka, groupId, [topics.message_trace, topics.trace_detail, topics.ndr]);
      } finally {
        await consumer.stop();
      }
      expect(await actualTotals(db)).toEqual(expectedTotals(exports.truth));
    } finally {
      await topics.cleanup();
    }
  });

  it('refuses clearly when the tables are missing', async () => {
    // Without the view, rows would land in `events` but never reach the aggregates.
    await db.client.command({ query: `DROP TABLE ${db.name}.agg_minute_events_mv` });
    const run = runCli([sample('message-trace-v2.sample.json'), '--state', join(tmp.dir, 's.json')]);
    const { code } = await run.exited;
    expect(code).toBe(1);
    expect(run.err()).toContain('agg_minute_events_mv');
    expect(run.err()).toContain('run `npx ndr migrate`');
  });
});
