/**
 * The shared upstream samples (/work/shared/formats, i.e. `../shared/formats` from the repo root;
 * CI clones the repo with shared/ beside it) and this package's own fixtures.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeEvent, type NormalizedEvent, type TopicKind } from '@ndr/events';

/** /work/main when the repo is there: packages/events/test/helpers → four levels up. */
const REPO_ROOT = new URL('../../../../', import.meta.url);
export const FORMATS_DIR = fileURLToPath(new URL('../shared/formats/', REPO_ROOT));
const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));

export function sampleText(file: string): string {
  return readFileSync(FORMATS_DIR + file, 'utf8');
}

export function sampleJson<T = unknown>(file: string): T {
  return JSON.parse(sampleText(file)) as T;
}

export function fixture<T = Record<string, unknown>>(file: string): T {
  return JSON.parse(readFileSync(FIXTURES_DIR + file, 'utf8')) as T;
}

export type Row = Record<string, unknown>;

export function bytes(value: unknown): Buffer {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
}

/** Decode a JSON value and fail loudly (with the reject detail) when it is not accepted. */
export function accept(kind: TopicKind, value: unknown): NormalizedEvent {
  const r = decodeEvent(kind, bytes(value));
  if (!r.ok) throw new Error(`expected ${kind} to be accepted, got ${r.reason}: ${r.detail}`);
  return r.event;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
