/** Typed errors with a closed list of codes. None of them is retriable: they are caller mistakes. */
export const GENERATOR_ERROR_CODES = ['INVALID_OPTIONS', 'NOT_FINISHED'] as const;
export type GeneratorErrorCode = (typeof GENERATOR_ERROR_CODES)[number];

export class GeneratorError extends Error {
  override readonly name = 'GeneratorError';
  readonly retriable = false;
  constructor(
    readonly code: GeneratorErrorCode,
    message: string,
    readonly problems: readonly string[] = [],
  ) {
    super(message);
  }
}
