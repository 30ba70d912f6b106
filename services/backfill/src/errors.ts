/** Typed backfill errors with a closed list of codes; the underlying error stays as `cause`. */
export const BACKFILL_ERROR_CODES = [
  /** The format could not be recognised from the content or the extension. */
  'unknown_format',
  /** A file that cannot be read to the end (truncated JSON, broken CSV quoting, unreadable). */
  'corrupt_file',
  /** ClickHouse lacks the pipeline's tables. */
  'tables_missing',
  /** The checkpoint file exists but is not ours or is damaged. */
  'state_invalid',
  /** A path on the command line does not exist or holds no files. */
  'no_input',
] as const;
export type BackfillErrorCode = (typeof BACKFILL_ERROR_CODES)[number];

export class BackfillError extends Error {
  override readonly name = 'BackfillError';
  constructor(
    readonly code: BackfillErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }
}
