/** One entry point: a file and its format → batches of SourceRecords. */
import type { Format } from '../formats.js';
import type { SourceRecord } from '../records.js';
import { readCsv } from './csv.js';
import { readJson } from './json.js';
import { readEml, readMbox } from './mail.js';
import type { FileHead } from './text.js';

export { readHead, textChunks, HEAD_BYTES, type FileHead } from './text.js';
export { readCsv, historicalStatus, splitRecipientStatus } from './csv.js';
export { readJson, envelopeRecords, isNdjson } from './json.js';
export { JsonScanner } from './json-scanner.js';
export { readEml, readMbox, MAX_MESSAGE_BYTES } from './mail.js';
export { dsnFromMail, deliveryStatusBlocks, headerBlock, parseMail } from './dsn.js';

export interface ReadInput {
  path: string;
  head: FileHead;
  format: Format;
  /** Tenant for NDR e-mails (other formats get it set on every row by the pipeline). */
  tenant?: string;
  onBytes: (n: number) => void;
}

export function readRecords(input: ReadInput): AsyncGenerator<SourceRecord[]> {
  const { path, head, onBytes } = input;
  switch (input.format) {
    case 'v2-csv':
    case 'historical-csv':
    case 'detail-csv':
      return readCsv({ path, head, format: input.format, onBytes });
    case 'v2-json':
    case 'graph-json':
    case 'detail-json':
    case 'ndr-json':
      return readJson({ path, head, onBytes });
    case 'eml':
      return readEml({ path, onBytes, ...(input.tenant ? { tenant: input.tenant } : {}) });
    case 'mbox':
      return readMbox({ path, onBytes, ...(input.tenant ? { tenant: input.tenant } : {}) });
  }
}
