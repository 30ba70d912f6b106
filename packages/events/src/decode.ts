/**
 * Kafka value bytes → NormalizedEvent, or a Rejected with a closed reason. Never throws, whatever the bytes.
 *
 * Order of checks (cheapest first): empty → size limit (before any decoding) → text encoding → JSON →
 * object → shape detection on the topic → the shape's fastParse, or zod safeParse when it declines (same result,
 * with the issue text) → normalise (tenant, keys).
 */
import { Buffer, isUtf8 } from 'node:buffer';
import type { NormalizeOptions, NormalizeResult } from './normalize.js';
import { reject, type Rejected } from './reject.js';
import { SHAPES_BY_KIND } from './shapes.js';
import { isTopicKind, TOPIC_KINDS, type TopicKind } from './topics.js';

export const DEFAULT_MAX_BYTES = 1024 * 1024;

export interface DecoderOptions extends NormalizeOptions {
  /** Reject payloads larger than this many bytes as `oversize`. Default 1 MiB. */
  maxBytes?: number;
}

export type DecodeResult = NormalizeResult;

export interface Decoder {
  decode(topicKind: TopicKind, bytes: Uint8Array | null | undefined): DecodeResult;
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

/** UTF-8 (BOM stripped) or UTF-16LE (BOM, or the zero high byte of an ASCII first character). */
function toText(bytes: Uint8Array): string | Rejected {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf[0] === 0xff && buf[1] === 0xfe) return buf.toString('utf16le', 2);
  if (buf[0] === 0xfe && buf[1] === 0xff) return reject('invalid_encoding', 'UTF-16BE is not supported; send UTF-8');
  if (buf.length >= 2 && buf[0] !== 0 && buf[1] === 0) return buf.toString('utf16le');
  if (!isUtf8(buf)) return reject('invalid_encoding', `not valid UTF-8 (${buf.length} bytes)`);
  const start = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  return buf.toString('utf8', start);
}

function batchKind(obj: Record<string, unknown>): string | null {
  if (Array.isArray(obj.value)) return `a Graph page (value[] of ${obj.value.length})`;
  if (Array.isArray(obj.records)) return `an Event Hubs batch (records[] of ${obj.records.length})`;
  const d = obj.d as { results?: unknown } | undefined;
  if (typeof d === 'object' && d !== null && Array.isArray(d.results))
    return `an OData page (d.results[] of ${d.results.length})`;
  return null;
}

function decodeUnsafe(
  topicKind: TopicKind,
  bytes: Uint8Array | null | undefined,
  maxBytes: number,
  opts: NormalizeOptions,
): DecodeResult {
  if (!isTopicKind(topicKind)) {
    return reject(
      'unknown_topic',
      `topic kind ${JSON.stringify(String(topicKind)).slice(0, 40)} is not one of ${TOPIC_KINDS.join(', ')}`,
    );
  }
  if (bytes === null || bytes === undefined || bytes.byteLength === 0)
    return reject('empty_payload', 'empty or null Kafka value');
  if (!(bytes instanceof Uint8Array)) return reject('invalid_encoding', `expected bytes, got ${describe(bytes)}`);
  if (bytes.byteLength > maxBytes)
    return reject('oversize', `${bytes.byteLength} bytes exceeds the ${maxBytes}-byte limit`);
  const text = toText(bytes);
  if (typeof text !== 'string') return text;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return reject('invalid_json', err instanceof Error ? err.message : 'unparseable JSON');
  }
  if (typeof value !== 'object' || value === null)
    return reject('not_an_object', `expected a JSON object, got ${describe(value)}`);
  if (Array.isArray(value))
    return reject('batch_envelope', `a JSON array of ${value.length}; send one row per Kafka message`);
  const obj = value as Record<string, unknown>;
  const shapes = SHAPES_BY_KIND[topicKind];
  for (const shape of shapes) if (shape.matches(obj)) return shape.normalize(obj, opts);
  const batch = batchKind(obj);
  if (batch !== null) return reject('batch_envelope', `${batch}; send one row per Kafka message`);
  const keys = Object.keys(obj).slice(0, 8).join(', ');
  return reject(
    'unknown_shape',
    `no ${shapes.map((s) => s.name).join(' / ')} fields on topic kind ${topicKind} (keys: ${keys || 'none'})`,
  );
}

/** Tenants and domains are compared lower-case; normalise the caller's map once, not per message. */
function lowerCaseDomains(map: NormalizeOptions['tenantDomains']): NormalizeOptions['tenantDomains'] {
  if (map === undefined) return undefined;
  const out = new Map<string, readonly string[]>();
  for (const [tenant, domains] of map)
    out.set(
      tenant.trim().toLowerCase(),
      domains.map((d) => d.trim().toLowerCase()),
    );
  return out;
}

/** A decoder with fixed options. Throws only on invalid options (at start-up, never per message). */
export function createDecoder(options: DecoderOptions = {}): Decoder {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) {
    throw new RangeError(`maxBytes must be a positive integer number of bytes, got ${String(maxBytes)}`);
  }
  const opts: NormalizeOptions = { tenantDomains: lowerCaseDomains(options.tenantDomains) };
  return {
    decode(topicKind, bytes) {
      try {
        return decodeUnsafe(topicKind, bytes, maxBytes, opts);
      } catch (err) {
        return reject('internal_error', err instanceof Error ? `${err.name}: ${err.message}` : String(err));
      }
    },
  };
}

const defaultDecoder = createDecoder();

/**
 * Decode one Kafka value. Never throws on any bytes. Without options it uses a shared default decoder
 * (1 MiB limit, heuristic direction); with options it builds a decoder per call, so a consumer should
 * call createDecoder(options) once instead.
 */
export function decodeEvent(
  topicKind: TopicKind,
  bytes: Uint8Array | null | undefined,
  options?: DecoderOptions,
): DecodeResult {
  return (options === undefined ? defaultDecoder : createDecoder(options)).decode(topicKind, bytes);
}
