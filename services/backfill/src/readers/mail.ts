/**
 * NDR e-mails: one `.eml` file, or an mbox (mboxo/mboxrd: messages separated by `From ` lines, `>From `
 * unescaped) split while streaming, so an mbox of any size is read one message at a time. Each message
 * is parsed by mailparser and turned into ndr-dsn records (readers/dsn.ts). The record number is the
 * message's position in the file; all recipient blocks of one message share it.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { SourceRecord } from '../records.js';
import { dsnFromMail, parseMail, type DsnOptions } from './dsn.js';

/** A message larger than this is rejected as oversize (an NDR with a huge original attached). */
export const MAX_MESSAGE_BYTES = 32 << 20;
const MAX_RAW_CHARS = 16 * 1024;

export interface MailInput extends DsnOptions {
  path: string;
  onBytes: (n: number) => void;
}

async function messageRecords(bytes: Buffer, rowNo: number, line: number, opts: DsnOptions): Promise<SourceRecord[]> {
  const raw = () => bytes.toString('latin1', 0, Math.min(bytes.length, MAX_RAW_CHARS));
  let result;
  try {
    result = dsnFromMail(await parseMail(bytes), opts);
  } catch (err) {
    return [
      {
        value: null,
        rowNo,
        line,
        raw: raw(),
        reject: {
          reason: 'not_a_dsn',
          detail: `unparseable e-mail: ${err instanceof Error ? err.message : String(err)}`,
        },
      },
    ];
  }
  if (!result.ok)
    return [{ value: null, rowNo, line, raw: raw(), reject: { reason: result.reason, detail: result.detail } }];
  return result.records.map((value) => ({ value, rowNo, line, raw: undefined }));
}

function oversize(rowNo: number, line: number, size: number): SourceRecord {
  return {
    value: null,
    rowNo,
    line,
    raw: '',
    reject: { reason: 'oversize', detail: `message of ${size} bytes exceeds the ${MAX_MESSAGE_BYTES}-byte limit` },
  };
}

export async function* readEml(input: MailInput): AsyncGenerator<SourceRecord[]> {
  const { size } = await stat(input.path);
  if (size > MAX_MESSAGE_BYTES) {
    input.onBytes(size);
    yield [oversize(1, 1, size)];
    return;
  }
  const bytes = await readFile(input.path);
  input.onBytes(bytes.length);
  yield await messageRecords(bytes, 1, 1, input);
}

const MBOXRD_FROM = /^>+From /;

export async function* readMbox(input: MailInput): AsyncGenerator<SourceRecord[]> {
  let lines: string[] = [];
  let bytes = 0;
  let tooBig = false;
  let rowNo = 0;
  let lineNo = 0;
  let startLine = 0;
  let prevBlank = true;
  let carry = '';
  let started = false;

  const finish = async (): Promise<SourceRecord[]> => {
    if (!started) return [];
    // The blank line before the next separator belongs to the format, not to the message.
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    const out = tooBig
      ? [oversize(rowNo, startLine, bytes)]
      : await messageRecords(Buffer.from(lines.join('\n'), 'latin1'), rowNo, startLine, input);
    lines = [];
    bytes = 0;
    tooBig = false;
    return out;
  };

  const takeLine = async (raw: string): Promise<SourceRecord[] | null> => {
    lineNo++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    let done: SourceRecord[] | null = null;
    if (line.startsWith('From ') && prevBlank) {
      done = await finish();
      started = true;
      rowNo++;
      startLine = lineNo;
    } else if (started) {
      bytes += line.length + 1;
      if (bytes > MAX_MESSAGE_BYTES) {
        tooBig = true;
        lines = [];
      } else if (!tooBig) lines.push(MBOXRD_FROM.test(line) ? line.slice(1) : line);
    }
    prevBlank = line === '';
    return done;
  };

  const stream = createReadStream(input.path, { highWaterMark: 1 << 20 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    input.onBytes(chunk.length);
    const text = carry + chunk.toString('latin1');
    let start = 0;
    const out: SourceRecord[] = [];
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const done = await takeLine(text.slice(start, nl));
      if (done) out.push(...done);
      start = nl + 1;
    }
    carry = text.slice(start);
    if (out.length > 0) yield out;
  }
  if (carry !== '') {
    const done = await takeLine(carry);
    if (done && done.length > 0) yield done;
  }
  const last = await finish();
  if (last.length > 0) yield last;
}
