/**
 * `ndr backfill <paths…>`: historical exports (V2/Graph JSON and CSV, historical search CSV, detail
 * CSV/JSON) and NDR e-mails (.eml, mbox) into the same exact aggregates as the live pipeline, or to the
 * input topics with --via-kafka. Resumable (checkpoint per file), Ctrl-C safe, progress on a TTY.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { Partitioners } from 'kafkajs';
import { pino } from 'pino';
import { ZodError } from 'zod';
import {
  backfillConfig,
  BACKFILL_DEFAULTS,
  checkTables,
  createBackfill,
  FORMATS,
  formatSummary,
  startProgress,
  type BackfillConfigInput,
  type BackfillSummary,
  type KafkaSend,
} from '@ndr/backfill';
import { createClassifier, loadCatalog } from '@ndr/classifier';
import { createClickHouseClient } from '@ndr/clickhouse';
import { connectionsFromEnv } from '@ndr/config';
import { consumerConfig } from '@ndr/consumer';
import { createKafka } from '@ndr/kafka';
import { createWriter } from '@ndr/writer';

interface BackfillOptions {
  format: string;
  viaKafka?: boolean;
  state: string;
  rejects: string;
  batchRows: number;
  dryRun?: boolean;
  tenant?: string;
  database?: string;
  json?: boolean;
  progress: boolean;
}

const positive = (flag: string) => (v: string) => {
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError(`${flag} expects a positive whole number, got "${v}"`);
  return n;
};

/** Exit codes: 0 all files read, 3 some files failed (the rest were read), 130/143 interrupted, 1 fatal. */
export const EXIT = { ok: 0, fatal: 1, filesFailed: 3, SIGINT: 130, SIGTERM: 143 } as const;

export function register(program: Command): void {
  program
    .command('backfill')
    .description(
      'read message-trace exports, trace-detail exports and NDR e-mails from files or folders into the aggregates (resumable)',
    )
    .argument('<paths...>', 'files or folders (folders are read recursively, hidden entries skipped)')
    .addOption(
      new Option('--format <format>', 'input format; auto detects it per file from the content')
        .choices(['auto', ...FORMATS])
        .default('auto'),
    )
    .option('--via-kafka', 'produce the rows to the input topics (NDR_TOPIC_*) instead of writing ClickHouse')
    .option('--state <file>', 'checkpoint file (resume state)', BACKFILL_DEFAULTS.statePath)
    .option(
      '--rejects <file>',
      'rejected rows with reason, file, record number and raw text (NDJSON, appended)',
      BACKFILL_DEFAULTS.rejectsPath,
    )
    .option(
      '--batch-rows <n>',
      'flush after this many rows are held',
      positive('--batch-rows'),
      BACKFILL_DEFAULTS.batchRows,
    )
    .option('--dry-run', 'read, validate and classify everything; write nothing and keep no checkpoint')
    .option('--tenant <name>', 'tenant for every row (e.g. contoso.onmicrosoft.com); needed for exports without one')
    .option('--database <name>', 'ClickHouse database (default: CLICKHOUSE_DATABASE or ndr)')
    .option('--json', 'print the summary as JSON on stdout')
    .option('--no-progress', 'no progress bar or progress log lines')
    .addHelpText(
      'after',
      [
        '',
        'Formats: v2-csv, v2-json (Get-MessageTraceV2), graph-json (Graph pages), historical-csv (Enhanced summary,',
        'UTF-16LE or UTF-8; recipient_status expanded per recipient), detail-csv (Extended report or',
        'Get-MessageTraceDetailV2 CSV), detail-json, ndr-json (ndr-dsn v1 lines), eml, mbox.',
        '',
        'A rerun skips files already done and resumes a file after its last durable record; rows written twice',
        'count once (the tables are idempotent). Ctrl-C flushes, saves the checkpoint and exits 130.',
        'Exit codes: 0 done, 3 some files failed (reported; the others were read), 130/143 interrupted, 1 error.',
        '',
        'Connections: CLICKHOUSE_URL, CLICKHOUSE_DATABASE … ; with --via-kafka KAFKA_BROKERS … and the topics',
        'NDR_TOPIC_MESSAGE_TRACE, NDR_TOPIC_TRACE_DETAIL, NDR_TOPIC_NDR. LOG_LEVEL sets the log level.',
        '',
        'Examples:',
        '  ndr backfill exports/ --tenant contoso.onmicrosoft.com',
        '  ndr backfill trace.csv --format historical-csv --dry-run',
      ].join('\n'),
    )
    .action(async (paths: string[], opts: BackfillOptions) => {
      process.exitCode = await runBackfill(paths, opts);
    });
}

export async function runBackfill(paths: string[], opts: BackfillOptions): Promise<number> {
  const tty = process.stderr.isTTY === true && opts.progress;
  const log = pino(
    { name: 'ndr-backfill', level: process.env.LOG_LEVEL ?? (tty ? 'warn' : 'info') },
    pino.destination(2),
  );
  const conn = connectionsFromEnv(process.env);
  const database = opts.database ?? conn.clickhouse.database;
  let input: Partial<BackfillConfigInput> & Pick<BackfillConfigInput, 'paths'>;
  try {
    input = {
      paths,
      format: opts.format as BackfillConfigInput['format'],
      viaKafka: opts.viaKafka === true,
      dryRun: opts.dryRun === true,
      statePath: opts.state,
      rejectsPath: opts.rejects,
      batchRows: opts.batchRows,
      database,
      ...(opts.tenant ? { tenant: opts.tenant } : {}),
      ...(opts.viaKafka ? { topics: consumerConfig(process.env).topics } : {}),
    };
    backfillConfig(input);
  } catch (err) {
    if (err instanceof ZodError) {
      throw new InvalidArgumentError(err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    }
    throw err;
  }
  const config = backfillConfig(input);
  const classifier = createClassifier(loadCatalog());
  const closers: Array<() => Promise<void>> = [];
  let writer;
  let producer: KafkaSend | undefined;
  try {
    if (!config.dryRun && !config.viaKafka) {
      const ch = createClickHouseClient({ ...conn.clickhouse, database }, { application: 'ndr-backfill' });
      closers.push(() => ch.close());
      await checkTables(ch, database);
      const writerLog = log.child({ module: 'writer' });
      writer = createWriter(
        { database },
        {
          client: ch,
          onEvent: (e) => {
            if (e.type === 'retrying')
              writerLog.warn(
                { err: e.error, table: e.table, attempt: e.attempt, retryInMs: e.delayMs },
                'insert failed, retrying (check that ClickHouse is up; Ctrl-C twice gives up)',
              );
            else if (e.type === 'failed') writerLog.error({ err: e.error, table: e.table }, 'insert failed for good');
          },
        },
      );
    }
    if (config.viaKafka) {
      const kafka = createKafka(conn.kafka, { clientId: 'ndr-backfill', logger: log.child({ module: 'kafkajs' }) });
      const admin = kafka.admin();
      await admin.connect();
      try {
        const existing = new Set(await admin.listTopics());
        const missing = Object.values(config.topics!).filter((t) => !existing.has(t));
        if (missing.length > 0) {
          throw new Error(
            `Kafka topic(s) ${missing.join(', ')} missing: create them (e.g. \`ndr consume --create-topics\`)`,
          );
        }
      } finally {
        await admin.disconnect();
      }
      const p = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
      await p.connect();
      closers.push(() => p.disconnect());
      producer = p;
    }

    const backfill = createBackfill(config, {
      classifier,
      log,
      ...(writer ? { writer } : {}),
      ...(producer ? { producer } : {}),
    });
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      signals++;
      if (signals > 1) {
        process.stderr.write(`\nndr backfill: second ${signal}, exiting now; rerun the same command to resume\n`);
        process.exit(EXIT[signal === 'SIGTERM' ? 'SIGTERM' : 'SIGINT']);
      }
      process.stderr.write(`\nndr backfill: ${signal}: flushing and saving the checkpoint (again to quit at once)\n`);
      backfill.stop(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const progress = opts.progress
      ? startProgress({ tty, stream: process.stderr, log, logIntervalMs: 10_000, snapshot: backfill.progress })
      : null;
    let summary: BackfillSummary;
    try {
      summary = await backfill.run();
    } finally {
      progress?.stop();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    log.info({ summary: { ...summary, files: { ...summary.files, list: undefined } } }, 'backfill finished');
    if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else process.stdout.write(formatSummary(summary));
    if (summary.interrupted === 'SIGTERM') return EXIT.SIGTERM;
    if (summary.interrupted !== null) return EXIT.SIGINT;
    return summary.files.failed > 0 ? EXIT.filesFailed : EXIT.ok;
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
}
