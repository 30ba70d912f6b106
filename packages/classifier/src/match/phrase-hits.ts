/**
 * Which entries' phrases occur in the current text, and the longest phrase per entry. State is reused from call
 * to call (a generation stamp instead of clearing arrays), so a classification allocates nothing here.
 * Two ways to fill it: every phrase of the catalogue (one automaton pass), or only the phrases that can matter
 * for a known code (its own entries and the code-less ones, one cached alternation per code).
 */
import { compilePhraseGroup, scanPhraseGroup, type PhraseGroup } from './phrase-group.js';
import type { Tables } from './tables.js';

export interface PhraseHits {
  reset(): void;
  /** Every phrase of the catalogue. */
  scanAll(text: string): void;
  /** Only the phrases of `candidates` and of code-less entries; `key` names the candidate set for the cache. */
  scanCandidates(text: string, key: number, candidates: readonly number[]): void;
  has(entry: number): boolean;
  /** Length of the longest phrase of `entry` found (only meaningful when `has(entry)`). */
  len(entry: number): number;
  any(): boolean;
  /**
   * The entry with the longest phrase found among those that speak for class `digit` (any when digit ≤ 0);
   * ties go to Exchange Online over RFC 3463 over RFC 5321, then to catalogue order. -1 when none.
   */
  bestPhrase(digit: number, codelessOnly: boolean): number;
}

const MAX_CACHED_GROUPS = 100_000;

export function createPhraseHits(t: Tables): PhraseHits {
  const hitLen = new Int32Array(t.entries.length);
  const hitStamp = new Uint32Array(t.entries.length);
  const touched: number[] = [];
  let stamp = 0;

  const onEntryHit = (e: number, len: number): void => {
    if (hitStamp[e] !== stamp) {
      hitStamp[e] = stamp;
      hitLen[e] = len;
      touched.push(e);
    } else if (len > (hitLen[e] as number)) {
      hitLen[e] = len;
    }
  };
  const onPhraseHit = (phrase: number): void =>
    onEntryHit(t.phraseEntry[phrase] as number, t.phraseLength[phrase] as number);
  const reset = (): void => {
    stamp = (stamp + 1) >>> 0;
    if (stamp === 0) {
      hitStamp.fill(0);
      stamp = 1;
    }
    touched.length = 0;
  };

  const codeless = t.entries.filter((e) => e.codeless).map((e) => e.index);
  const groups = new Map<number, PhraseGroup | null>();

  return {
    reset,
    scanAll(text) {
      reset();
      t.phrases.scan(text, onPhraseHit);
    },
    scanCandidates(text, key, candidates) {
      reset();
      let group = groups.get(key);
      if (group === undefined) {
        const phrases = [...candidates, ...codeless].flatMap((entry) => {
          const m = t.entries[entry]?.entry.match;
          return m ? [...m.phrases, ...m.phrases_nb].map((phrase) => ({ phrase, entry })) : [];
        });
        group = compilePhraseGroup(phrases);
        if (groups.size < MAX_CACHED_GROUPS) groups.set(key, group);
      }
      if (group !== null) scanPhraseGroup(group, text, onEntryHit);
    },
    has: (e) => hitStamp[e] === stamp,
    len: (e) => hitLen[e] as number,
    any: () => touched.length > 0,
    bestPhrase(digit, codelessOnly) {
      let best = -1;
      for (const e of touched) {
        const ce = t.entries[e];
        if (ce === undefined || (codelessOnly && !ce.codeless)) continue;
        if (digit > 0 && !ce.classDigits.has(digit) && !ce.classDigits.has(0)) continue;
        if (best < 0) {
          best = e;
          continue;
        }
        const b = t.entries[best];
        const d = (hitLen[e] as number) - (hitLen[best] as number);
        if (d > 0 || (d === 0 && b !== undefined && ce.sourceRank < b.sourceRank)) best = e;
      }
      return best;
    },
  };
}
