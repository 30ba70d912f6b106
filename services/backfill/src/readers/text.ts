/** Files as decoded text chunks, streamed: UTF-8 or UTF-16LE (with or without BOM), bytes counted for progress. */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { createHash } from 'node:crypto';
import { BackfillError } from '../errors.js';
import { sniffEncoding, type TextHead } from '../formats.js';

export const HEAD_BYTES = 64 * 1024;

export interface FileHead extends TextHead {
  /** The raw first bytes (at most HEAD_BYTES). */
  bytes: Buffer;
  /** sha256 of the first bytes, 16 hex digits: part of the file's identity in the checkpoint. */
  hash: string;
}

/** Reads and decodes the first HEAD_BYTES of a file. */
export async function readHead(path: string): Promise<FileHead> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    const bytes = buf.subarray(0, bytesRead);
    const enc = sniffEncoding(bytes);
    if (enc.encoding === 'utf16be') {
      throw new BackfillError('corrupt_file', `${path}: UTF-16BE is not supported; save it as UTF-16LE or UTF-8`);
    }
    const text = new StringDecoder(enc.encoding).write(bytes.subarray(enc.bomBytes));
    const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
    return { bytes, hash, encoding: enc.encoding, bomBytes: enc.bomBytes, text };
  } finally {
    await fh.close();
  }
}

/** Decoded text chunks of a whole file (BOM skipped); `onBytes` gets the raw byte count of each chunk. */
export async function* textChunks(
  path: string,
  head: Pick<TextHead, 'encoding' | 'bomBytes'>,
  onBytes: (n: number) => void,
  highWaterMark = 1 << 16,
): AsyncGenerator<string> {
  const decoder = new StringDecoder(head.encoding);
  const stream = createReadStream(path, { start: head.bomBytes, highWaterMark });
  if (head.bomBytes > 0) onBytes(head.bomBytes);
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    onBytes(chunk.length);
    const s = decoder.write(chunk);
    if (s.length > 0) yield s;
  }
  const rest = decoder.end();
  if (rest.length > 0) yield rest;
}
