export { batchRows, EventBuffer, type BufferContents } from './event-buffer.js';
export { WriterError, WRITER_ERROR_CODES, type WriterErrorCode } from './errors.js';
export {
  DEFAULT_RETRY,
  errorKind,
  retryDecision,
  type ErrorKind,
  type RetryDecision,
  type RetryPolicy,
} from './retry.js';
export { blockingIp, bucketOf, isBounce, messageKey, toEventRow, type EventRow } from './rows.js';
export {
  createWriter,
  type WriteReport,
  type Writer,
  type WriterConfig,
  type WriterDeps,
  type WriterEvent,
} from './writer.js';
export { EVENT_COLUMNS, eventRowTsv, type EventColumn, tsvString, tsvStringArray } from './tsv.js';
export { applyRetention, partitionsToDrop, type PartitionDrop, type RetentionPolicy } from './retention.js';
