/**
 * Issue #4's acceptance: totals equal the generator's independent ground truth exactly, per tenant
 * and code, with the consumer running as a real process (as users run it), through crashes,
 * outages, rebalances, duplicates and malformed input.
 */
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectionsFromEnv } from '@ndr/config';
import { createTestDatabase, type TestDatabase } from '../helpers/clickhouse.js';
import { spawnConsumer, type ConsumerProcess } from '../helpers/consumer-process.js';
import {
  actualTotals,
  expectedTotals,
  produceGenerated,
  produceInBackground,
  readDeadLetters,
} from '../helpers/exactness.js';
import { testKafka } from '../helpers/kafka.js';
import { randomName } from '../helpers/names.js';
import { createPipelineTopics, migrateTestDatabase, waitForCommitted } from '../helpers/pipeline.js';

const kafka = testKafka();
const repo = fileURLToPath(new URL('../../', import.meta.url));
const chLocal = connectionsFromEnv(process.env).clickhouse.local;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Deterministic "random" moments, so a failure can be replayed. */
function lcg(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** Sum of the group's committed offsets over the input topics. */
async function committed(group: string, topics: string[]): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    let n = 0;
    for (const topic of topics) {
      const [c] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      for (const p of c!.partitions) n += Math.max(0, Number(p.offset));
    }
    return n;
  } finally {
    await admin.disconnect();
  }
}

async function waitUntilCommitted(group: string, topics: string[], atLeast: number, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const n = await committed(group, topics);
    if (n >= atLeast) return n;
    if (Date.now() > deadline)
      throw new Error(`group ${group} committed only ${n} of ${atLeast} within ${timeoutMs} ms`);
    await sleep(50);
  }
}

const rssMb = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
};

const inputTopics = (t: { message_trace: string; trace_detail: string; ndr: string }) => [
  t.message_trace,
  t.trace_detail,
  t.ndr,
];

describe('exact totals end to end', () => {
  let db: TestDatabase;
  let topics: Awaited<ReturnType<typeof createPipelineTopics>>;
  const procs: ConsumerProcess[] = [];

  beforeEach(async () => {
    db = await createTestDatabase('exact');
    await migrateTestDatabase(db);
    topics = await createPipelineTopics(kafka, 6);
  });
  afterEach(async () => {
    for (const p of procs.splice(0)) if (p.proc.exitCode === null && p.proc.signalCode === null) p.kill('SIGKILL');
    await topics?.cleanup();
    await db?.drop();
  });

  async function consumer(groupId: string, env: Record<string, string> = {}) {
    const p = await spawnConsumer({ database: db.name, groupId, topics, env });
    procs.push(p);
    return p;
  }

  it('100,000 mixed events: totals equal the expected counts per tenant and code', async () => {
    const t0 = Date.now();
    const truth = await produceGenerated(kafka, topics, { events: 100_000, seed: 11 });
    const produced = Date.now();
    const group = randomName('exact');
    const c = await consumer(group);
    await waitForCommitted(kafka, group, inputTopics(topics), 180_000);
    const consumed = Date.now();
    c.kill('SIGTERM');
    expect((await c.exited).code).toBe(0);
    expect(await actualTotals(db)).toEqual(expectedTotals(truth));
    process.stderr.write(`[exactness] 100k: produce ${produced - t0} ms, consume ${consumed - produced} ms\n`);
  });

  it('SIGKILL at 5 random moments during ingestion, restarted each time: totals still exact', async () => {
    // Traffic keeps arriving (about 1,600 records/s, ~60 s) while the consumer is killed and restarted;
    // each restart waits for the killed member's session (6 s) to expire before partitions move.
    const production = produceInBackground(kafka, topics, { events: 100_000, seed: 12 }, 1_600);
    const total = production.total;
    const group = randomName('kill');
    const env = { NDR_SESSION_TIMEOUT_MS: '6000', NDR_HEARTBEAT_INTERVAL_MS: '1000', NDR_MAX_BUFFER_EVENTS: '20000' };
    const rnd = lcg(4242);
    const targets = Array.from({ length: 5 }, () => 0.1 + 0.7 * rnd()).sort((a, b) => a - b);
    const killedAt: number[] = [];
    for (const fraction of targets) {
      const c = await consumer(group, env);
      // Each life makes progress before it dies, and dies before the end.
      const target = Math.min(total - 5_000, Math.max(Math.floor(fraction * total), (killedAt.at(-1) ?? 0) + 3_000));
      await waitUntilCommitted(group, inputTopics(topics), target);
      await sleep(Math.floor(rnd() * 400)); // anywhere: mid-batch, between insert and commit, after commit
      c.kill('SIGKILL');
      await c.exited;
      killedAt.push(await committed(group, inputTopics(topics)));
    }
    // Every kill happened with work left to do, and every life made progress.
    for (const k of killedAt) expect(k).toBeLessThan(total);
    for (let i = 1; i < killedAt.length; i++) expect(killedAt[i]).toBeGreaterThan(killedAt[i - 1]!);
    process.stderr.write(`[exactness] SIGKILL with committed offsets at ${killedAt.join(', ')} of ${total}\n`);
    const truth = await production.truth;
    const last = await consumer(group, env);
    await waitForCommitted(kafka, group, inputTopics(topics), 180_000);
    last.kill('SIGTERM');
    await last.exited;
    expect(await actualTotals(db)).toEqual(expectedTotals(truth));
  });

  it.skipIf(!chLocal)(
    'ClickHouse stopped for 30 s mid-stream: the consumer holds with bounded memory, resumes, totals exact',
    async () => {
      // Traffic keeps arriving (about 4,000 records/s for 15 s) through the outage.
      const production = produceInBackground(kafka, topics, { events: 60_000, seed: 13 }, 4_000);
      const group = randomName('outage');
      const c = await consumer(group, { NDR_MAX_BUFFER_EVENTS: '10000' });
      await waitUntilCommitted(group, inputTopics(topics), Math.floor(production.total * 0.15));
      const ch = (cmd: string) =>
        spawnSync('bash', ['infra/clickhouse/clickhouse.sh', cmd], { cwd: repo, encoding: 'utf8' });
      expect(ch('down').status).toBe(0);
      let paused = 0;
      let maxRss = 0;
      const atStop = await committed(group, inputTopics(topics));
      const outageEnd = Date.now() + 30_000;
      try {
        while (Date.now() < outageEnd) {
          paused = Math.max(paused, (await c.metric('ndr_consumer_paused')) ?? 0);
          maxRss = Math.max(maxRss, rssMb(c.proc.pid!));
          expect(c.proc.exitCode).toBeNull();
          await sleep(1000);
        }
        // Nothing was committed that is not in ClickHouse (at most an in-flight flush that finished just before the stop).
        expect(await committed(group, inputTopics(topics))).toBeLessThanOrEqual(atStop + 10_000);
        expect(atStop).toBeLessThan(production.total); // the outage really was mid-stream
      } finally {
        expect(ch('up').status).toBe(0);
      }
      expect(paused).toBe(1);
      expect(maxRss).toBeLessThan(300);
      const truth = await production.truth;
      await waitForCommitted(kafka, group, inputTopics(topics), 180_000);
      expect(await c.metric('ndr_consumer_paused')).toBe(0);
      expect(await c.metric('ndr_insert_retries_total')).toBeGreaterThan(0);
      c.kill('SIGTERM');
      expect((await c.exited).code).toBe(0);
      expect(await actualTotals(db)).toEqual(expectedTotals(truth));
      process.stderr.write(`[exactness] outage: max RSS ${maxRss.toFixed(0)} MB while ClickHouse was down\n`);
    },
  );

  it('two, then three consumer instances in one group, started and stopped mid-stream: totals exact', async () => {
    const truth = await produceGenerated(kafka, topics, { events: 100_000, seed: 14 });
    const total = truth.records.total;
    const group = randomName('scale');
    const env = { NDR_SESSION_TIMEOUT_MS: '6000', NDR_HEARTBEAT_INTERVAL_MS: '1000', NDR_MAX_BUFFER_EVENTS: '10000' };
    const a = await consumer(group, env);
    await waitUntilCommitted(group, inputTopics(topics), Math.floor(total * 0.1));
    const b = await consumer(group, env); // two instances
    await waitUntilCommitted(group, inputTopics(topics), Math.floor(total * 0.3));
    const c = await consumer(group, env); // three instances
    await waitUntilCommitted(group, inputTopics(topics), Math.floor(total * 0.5));
    a.kill('SIGTERM'); // graceful leave mid-stream
    expect((await a.exited).code).toBe(0);
    await waitUntilCommitted(group, inputTopics(topics), Math.floor(total * 0.7));
    b.kill('SIGKILL'); // and one that just dies
    await waitForCommitted(kafka, group, inputTopics(topics), 180_000);
    c.kill('SIGTERM');
    expect((await c.exited).code).toBe(0);
    expect(await actualTotals(db)).toEqual(expectedTotals(truth));
  });

  it('20% of events re-sent under new offsets and Pending rows later re-sent as final: message totals unchanged', async () => {
    const truth = await produceGenerated(kafka, topics, { events: 60_000, seed: 15, duplicateRatio: 0.2 });
    expect(truth.records.duplicates).toBeGreaterThan(0.15 * truth.records.valid);
    const group = randomName('dups');
    const c = await consumer(group);
    await waitForCommitted(kafka, group, inputTopics(topics), 180_000);
    const read = await c.metric('ndr_events_in_total');
    c.kill('SIGTERM');
    await c.exited;
    expect(read).toBe(truth.records.total); // every copy was read…
    expect(await actualTotals(db)).toEqual(expectedTotals(truth)); // …and counted once
    const [pendingRows] = await db.rows<{ n: number }>(
      `SELECT count() AS n FROM ${db.name}.events FINAL WHERE schema = 'message_trace' AND status IN ('pending', 'getting_status')`,
    );
    const totalPending = Object.values(truth.tenants).reduce((n, t) => n + t.messages.pending, 0);
    expect(pendingRows?.n).toBe(totalPending); // rows that moved on show only their final status
  });

  it('1,000 malformed messages mixed in: each in the dead-letter topic with its reason, valid totals exact, no crash', async () => {
    const truth = await produceGenerated(kafka, topics, { events: 40_000, seed: 16, malformed: 1000 });
    expect(truth.deadLetters.total).toBe(1000);
    const group = randomName('bad');
    const c = await consumer(group);
    await waitForCommitted(kafka, group, inputTopics(topics), 180_000);
    expect(await c.metric('ndr_events_rejected_total')).toBe(1000);
    c.kill('SIGTERM');
    expect((await c.exited).code).toBe(0);
    const letters = await readDeadLetters(kafka, topics.deadLetter, 1000);
    expect(letters.total).toBe(1000);
    expect(letters.withOriginal).toBe(1000);
    expect(letters.byReason).toEqual(truth.deadLetters.byReason);
    expect(await actualTotals(db)).toEqual(expectedTotals(truth));
  });
});
