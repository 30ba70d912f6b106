/** Typed writer errors with a closed list of codes; the client's error stays as `cause`. */
export const WRITER_ERROR_CODES = ['data_rejected', 'retries_exhausted', 'closed', 'aborted'] as const;
export type WriterErrorCode = (typeof WRITER_ERROR_CODES)[number];

export class WriterError extends Error {
  override readonly name = 'WriterError';
  constructor(
    readonly code: WriterErrorCode,
    message: string,
    readonly retriable: boolean,
    options?: { cause?: unknown; attempts?: readonly unknown[] },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.attempts = options?.attempts ?? [];
  }
  /** Every failed attempt's error, oldest first, when retries ran out. */
  readonly attempts: readonly unknown[];
}
