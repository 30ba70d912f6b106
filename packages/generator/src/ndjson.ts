/**
 * One record as an NDJSON line for `ndr generate --to stdout`: `{"topic","key","value"}` with the value as
 * text when it is valid UTF-8 without a BOM, else `"value"` in base64 plus `"encoding":"base64"` (random
 * bytes, UTF-16 payloads), so the exact bytes can be replayed.
 */
import { isUtf8 } from 'node:buffer';
import type { GenRecord } from './types.js';

export function toNdjsonLine(r: GenRecord, topicName: string): string {
  const v = r.value;
  const text = isUtf8(v) && !(v[0] === 0xef && v[1] === 0xbb && v[2] === 0xbf);
  return text
    ? `{"topic":${JSON.stringify(topicName)},"key":${JSON.stringify(r.key)},"value":${JSON.stringify(v.toString('utf8'))}}\n`
    : `{"topic":${JSON.stringify(topicName)},"key":${JSON.stringify(r.key)},"value":${JSON.stringify(v.toString('base64'))},"encoding":"base64"}\n`;
}
