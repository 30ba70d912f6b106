/**
 * Which entries' phrases occur in the current text, and the longest phrase per entry. State is reused from call
 * to call (a generation stamp instead of clearing arrays), so a classification allocates nothing here.
 * Two ways to fill it, both from the occurrences of the one shared pass over the text loaded in `view`
 * (phrase-matcher.ts): every phrase of the catalogue, reported in the order an Aho–Corasick automaton reports
 * them (by end, longest first, then catalogue order); or only the phrases that can matter for a known code (its
 * own entries and the code-less ones), with the per-code alternation's leftmost-longest semantics
 * (phrase-group.ts).
 */
import type { TextView } from '../text/text-view.js';
import { compilePhraseGroup, scanGroupOccurrences, scanGroupRegex, type PhraseGroup } from './phrase-group.js';
import { codeKey, type Tables } from './tables.js';

export interface PhraseHits {
  reset(): void;
  /** Every phrase of the catalogue, in the text loaded in the view. */
  scanAll(): void;
  /**
   * Only the phrases of code `cls.s.d`'s entries (`list`, then the ranges' `rows`) and of code-less entries; the
   * code names that candidate set in the cache.
   */
  scanCandidates(
    cls: number,
    s: number,
    d: number,
    list: readonly number[] | undefined,
    rows: ReadonlyArray<{ entry: number }>,
  ): void;
  /** The candidate group `scanCandidates` would use for these arguments (null: no phrases), compiled once. */
  groupFor(
    cls: number,
    s: number,
    d: number,
    list: readonly number[] | undefined,
    rows: ReadonlyArray<{ entry: number }>,
  ): PhraseGroup | null;
  /** `scanCandidates` with the group already looked up. */
  scanGroup(group: PhraseGroup | null): void;
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

export function createPhraseHits(t: Tables, view: TextView): PhraseHits {
  const hitLen = new Int32Array(t.entries.length);
  const hitStamp = new Uint32Array(t.entries.length);
  // Entries hit, in order of first hit (an entry is touched at most once per stamp).
  const touched = new Int32Array(t.entries.length);
  let nTouched = 0;
  let stamp = 0;

  const onEntryHit = (e: number, len: number): void => {
    if (hitStamp[e] !== stamp) {
      hitStamp[e] = stamp;
      hitLen[e] = len;
      touched[nTouched++] = e;
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
    nTouched = 0;
  };

  const codeless = t.entries.filter((e) => e.codeless).map((e) => e.index);
  // By code key (tables.ts `codeKey`), built on first use, at most MAX_CACHED_GROUPS. Codes without entries of
  // their own share one compiled group (the code-less entries'), since theirs would be the same.
  const groups = new Map<number, PhraseGroup | null>();
  let codelessGroup: PhraseGroup | null | undefined;
  const compile = (list: readonly number[] | undefined, rows: ReadonlyArray<{ entry: number }>) =>
    compilePhraseGroup(
      [...(list ?? []), ...rows.map((r) => r.entry), ...codeless].flatMap((entry) => {
        const m = t.entries[entry]?.entry.match;
        return m ? [...m.phrases, ...m.phrases_nb].map((phrase) => ({ phrase, entry })) : [];
      }),
      t.phrases,
    );
  const { foldedLength, phrasesOf } = t.phrases;
  let order = new Int32Array(16);

  const groupFor = (
    cls: number,
    s: number,
    d: number,
    list: readonly number[] | undefined,
    rows: ReadonlyArray<{ entry: number }>,
  ): PhraseGroup | null => {
    const key = codeKey(cls, s, d);
    let group = groups.get(key);
    if (group === undefined) {
      if (list !== undefined || rows.length > 0) group = compile(list, rows);
      else group = codelessGroup === undefined ? (codelessGroup = compile(list, rows)) : codelessGroup;
      if (groups.size < MAX_CACHED_GROUPS) groups.set(key, group);
    }
    return group;
  };
  const scanGroup = (group: PhraseGroup | null): void => {
    reset();
    if (group === null) return;
    if (view.exotic) scanGroupRegex(group, view.text, onEntryHit);
    else scanGroupOccurrences(group, t.phrases.occurrencesOf(group.prefixes), foldedLength, onEntryHit);
  };

  return {
    reset,
    scanAll() {
      reset();
      const occ = t.phrases.occurrences();
      const { fid, end, count } = occ;
      if (count === 0) return;
      if (order.length < count) order = new Int32Array(count * 2);
      // The automaton's order: by end, then longest first (occurrences come by start). Insertion sort: the
      // list is short and nearly sorted.
      for (let i = 0; i < count; i++) {
        const e = end[i] as number;
        const len = foldedLength[fid[i] as number] as number;
        let j = i;
        for (; j > 0; j--) {
          const o = order[j - 1] as number;
          const oe = end[o] as number;
          if (oe < e || (oe === e && (foldedLength[fid[o] as number] as number) > len)) break;
          order[j] = o;
        }
        order[j] = i;
      }
      for (let i = 0; i < count; i++) {
        for (const phrase of phrasesOf[fid[order[i] as number] as number] as readonly number[]) onPhraseHit(phrase);
      }
    },
    scanCandidates(cls, s, d, list, rows) {
      scanGroup(groupFor(cls, s, d, list, rows));
    },
    groupFor,
    scanGroup,
    has: (e) => hitStamp[e] === stamp,
    len: (e) => hitLen[e] as number,
    any: () => nTouched > 0,
    bestPhrase(digit, codelessOnly) {
      let best = -1;
      for (let i = 0; i < nTouched; i++) {
        const e = touched[i] as number;
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
