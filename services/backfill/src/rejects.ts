/**
 * Rejected rows, one JSON line each: reason (closed list), detail, file, record and line number, raw text.
 * Appended (a resumed run adds to what the interrupted one wrote; `run` tells runs apart), with backpressure.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { BackfillRejectReason } from './records.js';

export interface RejectEntry {
  reason: BackfillRejectReason;
  detail: string;
  file: string;
  record: number;
  line: number;
  raw: string;
}

export interface RejectsSink {
  write(e: RejectEntry): Promise<void> | undefined;
  close(): Promise<void>;
}

export async function openRejects(path: string, run: string): Promise<RejectsSink> {
  await mkdir(dirname(path), { recursive: true });
  let stream: WriteStream | null = null;
  return {
    write(e) {
      stream ??= createWriteStream(path, { flags: 'a' });
      const ok = stream.write(`${JSON.stringify({ run, ...e })}\n`);
      if (ok) return undefined;
      const s = stream;
      return new Promise<void>((resolve) => s.once('drain', resolve));
    },
    close() {
      const s = stream;
      if (s === null) return Promise.resolve();
      return new Promise<void>((resolve, reject) => s.end((err?: Error | null) => (err ? reject(err) : resolve())));
    },
  };
}
