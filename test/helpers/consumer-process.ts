/**
 * The consumer as a real process (the built `ndr-consumer`), so tests can SIGKILL it, SIGTERM it,
 * and read its /metrics like an operator would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { connectionsFromEnv } from '@ndr/config';
import type { PipelineTopics } from './pipeline.js';

const bin = fileURLToPath(new URL('../../services/consumer/bin/ndr-consumer.js', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface ConsumerProcess {
  readonly proc: ChildProcess;
  readonly port: number;
  /** stderr+stdout so far (pino JSON lines). */
  output(): string;
  metric(name: string): Promise<number | null>;
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

export async function spawnConsumer(opts: {
  database: string;
  groupId: string;
  topics: PipelineTopics;
  env?: Record<string, string>;
}): Promise<ConsumerProcess> {
  const conn = connectionsFromEnv(process.env);
  const port = await freePort();
  let out = '';
  const proc = spawn(process.execPath, [bin], {
    env: {
      ...process.env,
      KAFKA_BROKERS: conn.kafka.brokers.join(','),
      CLICKHOUSE_URL: conn.clickhouse.url,
      CLICKHOUSE_DATABASE: opts.database,
      NDR_GROUP_ID: opts.groupId,
      NDR_TOPIC_MESSAGE_TRACE: opts.topics.message_trace,
      NDR_TOPIC_TRACE_DETAIL: opts.topics.trace_detail,
      NDR_TOPIC_NDR: opts.topics.ndr,
      NDR_DEAD_LETTER_TOPIC: opts.topics.deadLetter,
      NDR_HTTP_PORT: String(port),
      NDR_FLUSH_INTERVAL_MS: '300',
      NDR_SESSION_TIMEOUT_MS: '10000',
      NDR_HEARTBEAT_INTERVAL_MS: '1000',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const handle: ConsumerProcess = {
    proc,
    port,
    output: () => out,
    exited,
    kill: (signal) => {
      proc.kill(signal);
    },
    async metric(name) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/metrics`);
        const text = await res.text();
        let total: number | null = null;
        for (const line of text.split('\n')) {
          if (line.startsWith(name) && (line[name.length] === ' ' || line[name.length] === '{')) {
            total = (total ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
          }
        }
        return total;
      } catch {
        return null;
      }
    },
  };
  // Ready when /readyz answers 200 (joined the group), or fail with its output.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`consumer exited during start (code ${proc.exitCode}):\n${out}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (r.status === 200) return handle;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`consumer not ready within 60 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
