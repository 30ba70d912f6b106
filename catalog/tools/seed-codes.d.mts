// Types for seed-codes.mjs, so TypeScript tests can import it.

export interface SeedCodeRange {
  from: string;
  to: string;
}

export interface SeedCodes {
  /** Enhanced status codes, `c.s.d`, numerically sorted. */
  codes: string[];
  /** Ranges of enhanced codes on one class and subject. */
  ranges: SeedCodeRange[];
  /** Basic SMTP reply codes, e.g. `550`. */
  replies: string[];
}

export const RFC5321_REPLIES: ReadonlySet<string>;
export const DEFAULT_SEEDS_DIR: string;
export function partValue(token: string): number | undefined;
export function ungarble(text: string): string;
export function extractSeedCodes(text: string): SeedCodes;
export function compareCodes(a: string, b: string): number;
export function listSeedFiles(dir: string): string[];
export function seedId(file: string): string;
