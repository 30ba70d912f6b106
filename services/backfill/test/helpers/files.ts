/** Shared samples (../shared/formats beside the repo, as in CI), this package's fixtures, temp folders, readers. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectFormat, readHead, readRecords, type Format, type SourceRecord } from '@ndr/backfill';

const REPO_ROOT = new URL('../../../../', import.meta.url);
export const FORMATS_DIR = fileURLToPath(new URL('../shared/formats/', REPO_ROOT));
export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const EVENTS_FIXTURES_DIR = fileURLToPath(new URL('packages/events/test/fixtures/', REPO_ROOT));

export const sample = (name: string) => join(FORMATS_DIR, name);
export const fixture = (name: string) => join(FIXTURES_DIR, name);

export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ndr-backfill-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every record of a file, with the format detected (or given). */
export async function readAll(
  path: string,
  format?: Format,
): Promise<{ format: Format | null; records: SourceRecord[] }> {
  const head = await readHead(path);
  const f = format ?? detectFormat(head, path);
  const records: SourceRecord[] = [];
  if (f === null) return { format: null, records };
  for await (const batch of readRecords({ path, head, format: f, onBytes: () => undefined })) records.push(...batch);
  return { format: f, records };
}

export const silentLog = { debug() {}, info() {}, warn() {}, error() {} };
