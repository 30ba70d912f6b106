/**
 * @ndr/classifier: raw SMTP / DSN / Exchange Online diagnostic strings → NDR catalogue entries.
 *
 *   const classifier = createClassifier(loadCatalog());
 *   classifier.classify('550 5.7.509 Access denied, sending domain [CONTOSO.COM] does not pass DMARC …');
 *   classifier.explain('5.7.509', 'nb');
 *
 * Everything is compiled once in `createClassifier`; `classify` never throws and never does I/O.
 */
import { isValidatedCatalog, parseCatalog } from './catalog/load.js';
import { createExplain } from './explain.js';
import { createClassify } from './match/classify.js';
import { buildTables } from './match/tables.js';
import type { Catalog, Classifier } from './types.js';

export function createClassifier(catalog: Catalog): Classifier {
  // A catalogue that did not come from loadCatalog/parseCatalog is validated here: never classify with bad data.
  const valid = isValidatedCatalog(catalog)
    ? catalog
    : parseCatalog([
        {
          file: '(in-memory catalogue)',
          data: { version: 1, entries: (catalog as { entries?: unknown } | null)?.entries },
        },
      ]);
  const tables = buildTables(valid);
  return Object.freeze({ classify: createClassify(tables), explain: createExplain(tables) });
}

export { loadCatalog, parseCatalog, defaultCatalogDir, type CatalogFileInput } from './catalog/load.js';
export { MAX_SCAN_CHARS } from './match/classify.js';
export { ClassifierError, CLASSIFIER_ERROR_CODES, type ClassifierErrorCode } from './errors.js';
export * from './catalog/schema.js';
export type * from './types.js';
