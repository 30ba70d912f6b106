/**
 * JSON exports, streamed: `ConvertTo-Json` arrays (V2 rows, detail events), Graph pages (`{value: […],
 * @odata.nextLink}`, one or several), one object per line (NDJSON, `ConvertTo-Json -Compress` per row),
 * and Event Hubs / OData envelopes. Each record is one element, handed on as the parsed object; the
 * shape (PascalCase V2, camelCase Graph, ndr-dsn) is detected by @ndr/events per object.
 *
 * NDJSON (chosen when the first line alone is a complete JSON value) is split by lines, so one bad line
 * is one rejected record. Anything else goes through the streaming scanner; a structurally broken
 * document (truncated, stray brackets) makes the file corrupt.
 */
import { BackfillError } from '../errors.js';
import type { SourceRecord } from '../records.js';
import { JsonScanner } from './json-scanner.js';
import { textChunks, type FileHead } from './text.js';

export interface JsonInput {
  path: string;
  head: FileHead;
  onBytes: (n: number) => void;
}

/** Rejected raw text is cut to this many characters in the rejects file. */
const MAX_RAW_CHARS = 64 * 1024;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The records inside an envelope object, or null when the object is a record itself. */
export function envelopeRecords(obj: Record<string, unknown>): unknown[] | null {
  if (Array.isArray(obj.value)) return obj.value;
  if (Array.isArray(obj.records)) return obj.records;
  const d = obj.d;
  if (isObject(d) && Array.isArray(d.results)) return d.results;
  return null;
}

/** Parsed JSON text → records (an envelope or array expands into its elements). */
function toRecords(text: string, line: number, nextRow: () => number, out: SourceRecord[]): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    out.push({
      value: null,
      rowNo: nextRow(),
      line,
      raw: text.slice(0, MAX_RAW_CHARS),
      reject: { reason: 'invalid_json', detail: err instanceof Error ? err.message : 'unparseable JSON' },
    });
    return;
  }
  const items = Array.isArray(value) ? value : isObject(value) ? (envelopeRecords(value) ?? [value]) : [value];
  for (const item of items) {
    if (isObject(item)) out.push({ value: item, rowNo: nextRow(), line });
    else {
      out.push({
        value: null,
        rowNo: nextRow(),
        line,
        raw: JSON.stringify(item)?.slice(0, MAX_RAW_CHARS) ?? '',
        reject: {
          reason: 'not_an_object',
          detail: `expected a JSON object, got ${item === null ? 'null' : typeof item}`,
        },
      });
    }
  }
}

/** One JSON value per line when the head's first line parses on its own (and the file has more than one). */
export function isNdjson(headText: string): boolean {
  const text = headText.replace(/^\uFEFF/, '');
  const nl = text.indexOf('\n');
  if (nl < 0) return false;
  const first = text.slice(0, nl).trim();
  if (!first.startsWith('{')) return false;
  try {
    JSON.parse(first);
    return true;
  } catch {
    return false;
  }
}

export async function* readJson(input: JsonInput): AsyncGenerator<SourceRecord[]> {
  let rowNo = 0;
  const nextRow = () => ++rowNo;
  let out: SourceRecord[] = [];
  const chunks = textChunks(input.path, input.head, input.onBytes);
  if (isNdjson(input.head.text)) {
    let carry = '';
    let line = 0;
    const lineOut = (text: string) => {
      line++;
      if (text.trim() !== '') toRecords(text, line, nextRow, out);
    };
    for await (const chunk of chunks) {
      let start = 0;
      for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
        lineOut(carry === '' ? chunk.slice(start, nl) : carry + chunk.slice(start, nl));
        carry = '';
        start = nl + 1;
      }
      carry += chunk.slice(start);
      if (out.length > 0) {
        yield out;
        out = [];
      }
    }
    if (carry !== '') lineOut(carry);
    if (out.length > 0) yield out;
    return;
  }
  const scanner = new JsonScanner((text, line) => toRecords(text, line, nextRow, out));
  try {
    for await (const chunk of chunks) {
      scanner.feed(chunk);
      if (out.length > 0) {
        yield out;
        out = [];
      }
    }
    scanner.end();
  } catch (err) {
    if (err instanceof SyntaxError) {
      throw new BackfillError('corrupt_file', `${input.path}: ${err.message} (after record ${rowNo})`, { cause: err });
    }
    throw err;
  }
  if (out.length > 0) yield out;
}
