/**
 * `ndr generate`: realistic sample traffic (message-trace rows, trace-detail events, NDRs, malformed
 * messages) to Kafka or stdout, deterministic from --seed, with the ground truth written by --expected.
 */
import { writeFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { InvalidArgumentError, type Command } from 'commander';
import { connectionsFromEnv } from '@ndr/config';
import { DEFAULT_TOPICS } from '@ndr/events';
import {
  createGenerator,
  DEFAULT_START_MS,
  ensureTopics,
  GeneratorError,
  produceToKafka,
  toNdjsonLine,
  type Expected,
  type GenRecord,
  type TopicKind,
} from '@ndr/generator';
import { createKafka, logLevel } from '@ndr/kafka';

export interface GenerateOptions {
  events: number;
  seed: string;
  scenario: string;
  duplicates: number;
  malformed: number;
  to: string;
  rate?: number;
  expected?: string;
  start: string;
  minutes: number;
  tenants: number;
  batchSize: number;
  partitions: number;
  progress: boolean;
}

export interface GenerateIo {
  env: Readonly<Record<string, string | undefined>>;
  stdout: Writable;
  stderr: Writable & { isTTY?: boolean };
  now?: () => number;
}

/** Env var → topic kind; defaults from @ndr/events DEFAULT_TOPICS (the consumer reads the same variables). */
export const TOPIC_ENV: Readonly<Record<TopicKind, string>> = {
  message_trace: 'NDR_TOPIC_MESSAGE_TRACE',
  trace_detail: 'NDR_TOPIC_TRACE_DETAIL',
  ndr: 'NDR_TOPIC_NDR',
};

const FLAG_OF: Record<string, string> = {
  events: '--events',
  seed: '--seed',
  tenants: '--tenants',
  startMs: '--start',
  minutes: '--minutes',
  scenario: '--scenario',
  duplicateRatio: '--duplicates',
  malformed: '--malformed',
};

const integer = (flag: string) => (v: string) => {
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`${flag} expects a whole number, got "${v}"`);
  return n;
};
const number = (flag: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${flag} expects a non-negative number, got "${v}"`);
  return n;
};

export function register(program: Command): void {
  program
    .command('generate')
    .description(
      'generate realistic message-trace rows, trace-detail events and NDRs (plus malformed messages) with ground truth, deterministic from --seed',
    )
    .option(
      '--events <n>',
      'total Kafka records: valid, re-emitted duplicates and malformed together',
      integer('--events'),
      100_000,
    )
    .option('--seed <s>', 'PRNG seed: the same seed and options give the same bytes', '1')
    .option(
      '--scenario <name>',
      'demo (A: 5.7.509 spike, B: banned IP, C: blocked tenant, D: control) | steady',
      'demo',
    )
    .option(
      '--duplicates <ratio>',
      'share of valid records re-emitted unchanged later in the stream (re-polled exports), 0-1',
      number('--duplicates'),
      0,
    )
    .option(
      '--malformed <n>',
      'malformed messages mixed in; each is an expected dead letter',
      integer('--malformed'),
      0,
    )
    .option('--to <sink>', 'kafka | stdout (NDJSON {topic, key, value} lines)', 'kafka')
    .option('--rate <n>', 'records per second (default: as fast as possible)', number('--rate'))
    .option('--expected <file>', 'write the ground truth JSON to this file when done')
    .option(
      '--start <time>',
      "start of the time range: ISO-8601, epoch ms, or 'now' (the range then ends at the current minute)",
      new Date(DEFAULT_START_MS).toISOString(),
    )
    .option('--minutes <n>', 'length of the time range in minutes', integer('--minutes'), 60)
    .option(
      '--tenants <n>',
      'number of tenants (contoso A, fabrikam B, northwind C, tailspin D, then more)',
      integer('--tenants'),
      4,
    )
    .option('--batch-size <n>', 'records per Kafka send', integer('--batch-size'), 5000)
    .option('--partitions <n>', 'partitions for topics this command creates', integer('--partitions'), 6)
    .option('--no-progress', 'no progress lines on stderr')
    .addHelpText(
      'after',
      [
        '',
        'Kafka (with --to kafka): KAFKA_BROKERS (default 127.0.0.1:19092) and the other KAFKA_* variables;',
        `topics ${TOPIC_ENV.message_trace} (${DEFAULT_TOPICS.message_trace}), ${TOPIC_ENV.trace_detail} (${DEFAULT_TOPICS.trace_detail}),`,
        `${TOPIC_ENV.ndr} (${DEFAULT_TOPICS.ndr}); missing topics are created. Records are keyed tenant|MessageTraceId.`,
        '',
        'The ground truth (--expected) says what the pipeline must end up with: per tenant the distinct messages',
        'of trace rows and their final status, distinct bounced messages per code, and every expected dead letter',
        'by reject reason. packages/generator/README.md defines each number.',
        '',
        'Examples:',
        '  ndr generate --events 100000 --duplicates 0.2 --malformed 20 --expected expected.json',
        '  ndr generate --to stdout --events 50 --seed 7 | head',
      ].join('\n'),
    )
    .action(async (opts: GenerateOptions) => {
      await runGenerate(opts, { env: process.env, stdout: process.stdout, stderr: process.stderr });
    });
}

function startMs(text: string, minutes: number, now: number): number {
  if (text === 'now') return Math.floor(now / 60_000) * 60_000 - minutes * 60_000;
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms))
    throw new InvalidArgumentError(`--start expects ISO-8601, epoch ms or 'now', got "${text}"`);
  return ms;
}

function topicsFromEnv(env: GenerateIo['env']): Record<TopicKind, string> {
  const out = { ...DEFAULT_TOPICS };
  for (const kind of Object.keys(TOPIC_ENV) as TopicKind[]) {
    const v = env[TOPIC_ENV[kind]];
    if (v === undefined || v === '') continue;
    if (!/^[A-Za-z0-9._-]{1,249}$/.test(v))
      throw new Error(`${TOPIC_ENV[kind]} must be a Kafka topic name (letters, digits, . _ -), got "${v}"`);
    out[kind] = v;
  }
  return out;
}

const fmt = (n: number) => n.toLocaleString('en-US');
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Progress on stderr: one rewritten line on a TTY, else a line every 10%. */
function progressReporter(io: GenerateIo, total: number, enabled: boolean, now: () => number) {
  const started = now();
  let lastAt = 0;
  let lastTenth = 0;
  let lastDone = -1;
  return (done: number, final = false) => {
    if (!enabled || done === lastDone) return;
    const t = now();
    const tenth = Math.floor((done / total) * 10);
    if (io.stderr.isTTY ? !final && t - lastAt < 250 : !final && tenth === lastTenth) return;
    lastAt = t;
    lastTenth = tenth;
    lastDone = done;
    const rate = Math.round(done / Math.max(0.001, (t - started) / 1000));
    const line = `generate: ${fmt(done)}/${fmt(total)} records (${Math.floor((done / total) * 100)}%), ${fmt(rate)}/s`;
    io.stderr.write(io.stderr.isTTY ? `\r${line}${final ? '\n' : ''}` : `${line}\n`);
  };
}

/** Writes NDJSON to a stream with backpressure; stops quietly when the reader goes away (EPIPE). */
async function toStdout(
  records: Iterable<GenRecord>,
  topics: Record<TopicKind, string>,
  io: GenerateIo,
  rate: number | undefined,
  report: (n: number) => void,
  now: () => number,
): Promise<number> {
  let closed = false;
  const onError = (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') closed = true;
  };
  io.stdout.on('error', onError);
  const started = now();
  let n = 0;
  let chunk = '';
  const flush = async () => {
    if (chunk === '' || closed) return;
    const ok = io.stdout.write(chunk);
    chunk = '';
    if (!ok)
      await new Promise<void>((resolve) => {
        const done = () => {
          io.stdout.off('drain', done);
          io.stdout.off('close', done);
          resolve();
        };
        io.stdout.once('drain', done);
        io.stdout.once('close', done);
      });
  };
  try {
    for (const r of records) {
      chunk += toNdjsonLine(r, topics[r.topic]);
      n++;
      if (chunk.length >= 256 * 1024 || (rate !== undefined && n % Math.max(1, Math.ceil(rate / 10)) === 0)) {
        await flush();
        if (closed) break;
        report(n);
        if (rate !== undefined) {
          const ahead = (n / rate) * 1000 - (now() - started);
          if (ahead > 0) await sleep(ahead);
        }
      }
    }
    await flush();
  } finally {
    io.stdout.off('error', onError);
  }
  return n;
}

export async function runGenerate(
  opts: GenerateOptions,
  io: GenerateIo,
): Promise<{ records: number; expected: Expected | null }> {
  const now = io.now ?? Date.now;
  if (opts.to !== 'kafka' && opts.to !== 'stdout')
    throw new InvalidArgumentError(`--to expects kafka or stdout, got "${opts.to}"`);
  if (opts.rate !== undefined && opts.rate <= 0) throw new InvalidArgumentError('--rate must be above 0');
  let gen;
  try {
    gen = createGenerator({
      events: opts.events,
      seed: /^-?\d+$/.test(opts.seed) ? Number(opts.seed) : opts.seed,
      scenario: opts.scenario as 'demo',
      duplicateRatio: opts.duplicates,
      malformed: opts.malformed,
      startMs: startMs(opts.start, opts.minutes, now()),
      minutes: opts.minutes,
      tenants: opts.tenants,
    });
  } catch (err) {
    if (err instanceof GeneratorError && err.code === 'INVALID_OPTIONS') {
      const lines = err.problems.map((p) => {
        const key = p.slice(0, p.indexOf(':'));
        return `${FLAG_OF[key] ?? key}${p.slice(key.length)}`;
      });
      throw new InvalidArgumentError(lines.join('; '));
    }
    throw err;
  }

  const topics = topicsFromEnv(io.env);
  const report = progressReporter(io, opts.events, opts.progress, now);
  const started = now();
  let records: number;
  if (opts.to === 'stdout') {
    records = await toStdout(gen, topics, io, opts.rate, report, now);
  } else {
    const conn = connectionsFromEnv(io.env).kafka;
    const kafka = createKafka(conn, {
      clientId: 'ndr-generate',
      logLevel: io.env.LOG_LEVEL === 'debug' ? logLevel.DEBUG : logLevel.NOTHING,
    });
    const created = await ensureTopics(kafka, Object.values(topics), { partitions: opts.partitions });
    if (created.length > 0 && opts.progress)
      io.stderr.write(`generate: created topics ${created.join(', ')} (${opts.partitions} partitions)\n`);
    const summary = await produceToKafka(kafka, topics, gen, {
      batchSize: opts.batchSize,
      ...(opts.rate !== undefined ? { ratePerSec: opts.rate } : {}),
      onProgress: (p) => report(p.sent),
    });
    records = summary.sent;
  }
  report(records, true);

  const complete = records === opts.events;
  const expected = complete ? gen.expected() : null;
  if (opts.expected) {
    if (expected === null)
      throw new Error(
        `stopped after ${fmt(records)} of ${fmt(opts.events)} records: no ground truth written to ${opts.expected}`,
      );
    await writeFile(opts.expected, `${JSON.stringify(expected, null, 2)}\n`);
  }
  if (opts.progress && expected !== null) {
    const r = expected.records;
    const where = opts.to === 'kafka' ? `Kafka ${Object.values(topics).join(', ')}` : 'stdout';
    io.stderr.write(
      `generate: ${fmt(r.total)} records (${fmt(r.valid)} valid incl. ${fmt(r.duplicates)} duplicates, ${fmt(r.malformed)} malformed) to ${where} in ${((now() - started) / 1000).toFixed(1)} s` +
        `${opts.expected ? `; ground truth in ${opts.expected}` : ''}\n`,
    );
  }
  return { records, expected };
}
