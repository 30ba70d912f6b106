/**
 * Reading and validating the catalogue. `loadCatalog(dir)` reads every `*.json` in the folder (sorted by name),
 * `parseCatalog(files)` validates in-memory data. Both throw a `ClassifierError` whose message names the file,
 * the entry id and the field of every problem; the classifier is never built from an invalid catalogue.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ClassifierError } from '../errors.js';
import type { Catalog } from '../types.js';
import { catalogFileSchema, type CatalogEntry } from './schema.js';
import { crossEntryProblems } from './check.js';

/** One catalogue file as data: its name (for messages) and its parsed JSON. */
export interface CatalogFileInput {
  file: string;
  data: unknown;
}

const MAX_PROBLEMS_IN_MESSAGE = 20;

/** The repo's `catalog/` folder, found from this module's location (src/catalog or dist/catalog). */
export function defaultCatalogDir(): string {
  return resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../catalog');
}

export function loadCatalog(dir: string = defaultCatalogDir()): Catalog {
  if (!existsSync(dir)) {
    throw new ClassifierError('CATALOG_NOT_FOUND', `catalogue folder ${dir} does not exist`);
  }
  const names = readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort();
  if (names.length === 0) {
    throw new ClassifierError('CATALOG_NOT_FOUND', `catalogue folder ${dir} has no *.json files`);
  }
  const files: CatalogFileInput[] = names.map((name) => {
    const path = join(dir, name);
    try {
      return { file: `catalog/${name}`, data: JSON.parse(readFileSync(path, 'utf8')) as unknown };
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new ClassifierError('CATALOG_UNREADABLE', `catalog/${name}: cannot read or parse JSON: ${why}`, {
        cause: err,
        problems: [`catalog/${name}: ${why}`],
      });
    }
  });
  return parseCatalog(files);
}

/** Validates catalogue files given as data: `[{ file, data }]` or `{ [file]: data }`. */
export function parseCatalog(files: readonly CatalogFileInput[] | Readonly<Record<string, unknown>>): Catalog {
  const list: readonly CatalogFileInput[] = Array.isArray(files)
    ? files
    : Object.entries(files).map(([file, data]) => ({ file, data }));
  const problems: string[] = [];
  const entries: CatalogEntry[] = [];
  const origins: string[] = [];
  for (const { file, data } of list) {
    const parsed = catalogFileSchema.safeParse(data);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(describeIssue(file, data, issue.path, issue.message));
      continue;
    }
    for (const e of parsed.data.entries) {
      entries.push(e);
      origins.push(file);
    }
  }
  if (problems.length === 0) problems.push(...crossEntryProblems(entries, origins));
  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_PROBLEMS_IN_MESSAGE);
    const more = problems.length > shown.length ? `\n  … and ${problems.length - shown.length} more` : '';
    throw new ClassifierError(
      'CATALOG_INVALID',
      `invalid NDR catalogue (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  ${shown.join('\n  ')}${more}`,
      { problems },
    );
  }
  const catalog: Catalog = Object.freeze({ entries: Object.freeze(entries), files: Object.freeze(origins) });
  validated.add(catalog);
  return catalog;
}

/** Catalogues built by parseCatalog; `createClassifier` validates anything else itself. */
const validated = new WeakSet<Catalog>();
export function isValidatedCatalog(catalog: unknown): catalog is Catalog {
  return typeof catalog === 'object' && catalog !== null && validated.has(catalog as Catalog);
}

/** `file: entry "id" (entries[3]), field match.codes[0]: message`. */
function describeIssue(file: string, data: unknown, path: readonly PropertyKey[], message: string): string {
  if (path[0] === 'entries' && typeof path[1] === 'number') {
    const index = path[1];
    const raw = (data as { entries?: unknown[] }).entries?.[index];
    const id =
      raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string'
        ? `entry "${(raw as { id: string }).id}"`
        : 'entry without an id';
    const field = formatPath(path.slice(2)) || '(whole entry)';
    return `${file}: ${id} (entries[${index}]), field ${field}: ${message}`;
  }
  return `${file}: field ${formatPath(path) || '(file)'}: ${message}`;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out;
}
