import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { createClassifier, loadCatalog, type Classifier } from '../src/index.js';

export const here = fileURLToPath(new URL('.', import.meta.url));
export const FIXTURE_CATALOG = join(here, 'fixtures/catalog');

let fixture: Classifier | undefined;
/** A classifier over the small fixture catalogue in test/fixtures/catalog (mechanics, not data). */
export function fixtureClassifier(): Classifier {
  return (fixture ??= createClassifier(loadCatalog(FIXTURE_CATALOG)));
}

let real: Classifier | undefined;
/** A classifier over the repo's catalog/ (the data the product ships). */
export function realClassifier(): Classifier {
  return (real ??= createClassifier(loadCatalog()));
}

export interface CorpusRow {
  id: string;
  group: string;
  input: string;
  code: string | null;
  class: string;
  reason: string;
  entry?: string;
  reply?: string;
  matched_by?: string;
  exact?: boolean;
  alert_tags?: string[];
  entities?: { ips?: string[]; domains?: string[]; addresses?: string[]; sub_code?: string | null };
  hint?: string;
  note?: string;
  /** Set when the catalogue's data (not the classifier) gives a different answer than a deliverability expert. */
  catalog_disagrees?: string;
}

export function readCorpus(): CorpusRow[] {
  return readFileSync(join(here, 'corpus/diagnostics.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as CorpusRow);
}

/** The seed folder: $NDR_SEEDS_DIR, then shared/seeds beside the repo, then /work/shared/seeds. */
export function seedsDir(): string | null {
  const candidates = [process.env.NDR_SEEDS_DIR, resolve(here, '../../../../shared/seeds'), '/work/shared/seeds'];
  for (const dir of candidates) if (dir && existsSync(dir)) return dir;
  return null;
}

export function readSeed(prefix: string): string | null {
  const dir = seedsDir();
  if (dir === null) return null;
  const name = readdirSync(dir).find((n) => n.startsWith(prefix));
  return name === undefined ? null : readFileSync(join(dir, name), 'utf8');
}
