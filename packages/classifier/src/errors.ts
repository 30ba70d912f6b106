/** Typed errors with a closed list of codes (see STYLE.md). The classifier's hot path never throws. */
export const CLASSIFIER_ERROR_CODES = ['CATALOG_INVALID', 'CATALOG_NOT_FOUND', 'CATALOG_UNREADABLE'] as const;
export type ClassifierErrorCode = (typeof CLASSIFIER_ERROR_CODES)[number];

export class ClassifierError extends Error {
  readonly code: ClassifierErrorCode;
  /** Loading a catalogue again will not help: the data must be fixed. */
  readonly retriable = false;
  /** One line per problem: `file: entry "id" (entries[3]), field match.codes[0]: message`. */
  readonly problems: readonly string[];

  constructor(code: ClassifierErrorCode, message: string, options: { cause?: unknown; problems?: string[] } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ClassifierError';
    this.code = code;
    this.problems = options.problems ?? [];
  }
}
