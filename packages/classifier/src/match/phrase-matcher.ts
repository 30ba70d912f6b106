/**
 * Every catalogue phrase (English and Norwegian) found in one pass over the text, the same pass that fills the
 * text view (positions of `.` `@` `:` `(`). Per character: one table lookup (phrase-alphabet.ts: case folding,
 * whitespace runs, apostrophes and marks in one value) and a filter: the last k folded symbols (k ≤ 5) packed
 * into an integer, hashed into a small filter table of the phrases' first k symbols. Nothing depends on the previous
 * character's table lookup (an automaton's state chain costs more per character here). A filter hit is rare
 * (≈ 4 per diagnostic); each one walks the phrase trie (phrase-trie.ts) from the node of those k symbols, which
 * finds every phrase starting there at once. The loops themselves are in phrase-pass.ts.
 *
 * The result is every occurrence of every phrase (overlapping ones too) with its text start and end: what an
 * Aho–Corasick automaton reports, plus positions, from which phrase-hits.ts derives both the automaton's order
 * and the per-code alternation's leftmost-longest matches.
 */
import { copyText, splitMarks, type TextView } from '../text/text-view.js';
import { createAlphabet, foldPhrase } from './phrase-alphabet.js';
import { FILTER_BITS, passText, walkHits, type Occurrences, type PassTables } from './phrase-pass.js';
import { buildTrie, HASH } from './phrase-trie.js';

export type { Occurrences } from './phrase-pass.js';

export interface PhraseMatcher {
  /** Number of phrases given. */
  readonly size: number;
  /** Distinct folded phrases ("fids"): the folded text, its length, the phrase indexes (ascending) folding to it. */
  readonly folded: readonly string[];
  readonly foldedLength: Int32Array;
  readonly phrasesOf: readonly (readonly number[])[];
  /** Folded phrase → fid. */
  readonly fidOf: ReadonlyMap<string, number>;
  /** Prefix number of each fid's first k symbols (for `occurrencesOf`), and how many there are. */
  readonly prefixOfFid: Int32Array;
  readonly prefixes: number;
  /** The one pass: copies `text` into `view`, records its marks and the filter's hits. */
  load(view: TextView, text: string): void;
  /** Every phrase occurrence in the text last loaded (walked on first call after a load). */
  occurrences(): Occurrences;
  /**
   * At least the occurrences of the phrases whose prefix is marked in `only` (ordered by start); every
   * occurrence when all were walked already. Only valid until the next call.
   */
  occurrencesOf(only: Uint8Array): Occurrences;
}

export function createPhraseMatcher(phrases: readonly string[]): PhraseMatcher {
  const fidOf = new Map<string, number>();
  const folded: string[] = [];
  const phrasesOf: number[][] = [];
  phrases.forEach((p, index) => {
    const f = foldPhrase(p);
    if (f.length === 0) return;
    let fid = fidOf.get(f);
    if (fid === undefined) {
      fid = folded.length;
      fidOf.set(f, fid);
      folded.push(f);
      phrasesOf.push([]);
    }
    (phrasesOf[fid] as number[]).push(index);
  });
  const { map, width, space, symbolOf } = createAlphabet(folded);
  const symbols = folded.map((f) =>
    Uint16Array.from({ length: f.length }, (_, i) => symbolOf.get(f.charCodeAt(i)) ?? 0),
  );

  // The filter: k symbols of `shift` bits (at most 30 bits), hashed to FILTER_BITS.
  const shift = Math.max(1, Math.ceil(Math.log2(width)));
  const k = Math.max(1, Math.min(5, Math.floor(30 / shift), ...folded.map((f) => f.length)));
  const filter = new Uint8Array(2 ** FILTER_BITS);
  for (const sym of symbols) {
    let key = 0;
    for (let q = 0; q < k; q++) key = key * 2 ** shift + (sym[q] as number);
    filter[Math.imul(key, HASH) >>> (32 - FILTER_BITS)] = 1;
  }
  const tables: PassTables & { prefixOfFid: Int32Array; prefixes: number } = {
    map,
    filter,
    space,
    shift,
    k,
    mask: 2 ** (k * shift) - 1,
    symMask: 2 ** shift - 1,
    ...buildTrie(symbols, k, shift),
  };

  let candPos = new Int32Array(256);
  let candKey = new Int32Array(256);
  let nCand = 0;
  let view: TextView | null = null;
  let walked = true;
  const counts = new Int32Array(2);
  const occ: Occurrences = { fid: new Int32Array(16), start: new Int32Array(16), end: new Int32Array(16), count: 0 };
  const some: Occurrences = { fid: new Int32Array(16), start: new Int32Array(16), end: new Int32Array(16), count: 0 };

  return {
    size: phrases.length,
    folded,
    foldedLength: Int32Array.from(folded, (f) => f.length),
    phrasesOf,
    fidOf,
    load(v, text) {
      const n = copyText(v, text);
      if (candPos.length < n) {
        candPos = new Int32Array(n);
        candKey = new Int32Array(n);
      }
      passText(v.u16, n, tables, v.marks, candPos, candKey, counts);
      v.nMarks = counts[0] as number;
      splitMarks(v);
      nCand = counts[1] as number;
      view = v;
      walked = false;
    },
    prefixOfFid: tables.prefixOfFid,
    prefixes: tables.prefixes,
    occurrences() {
      if (!walked && view !== null) {
        walked = true;
        walkHits(view.u16, view.n, tables, candPos, candKey, nCand, occ, null);
      }
      return occ;
    },
    occurrencesOf(only) {
      if (walked || view === null) return occ;
      walkHits(view.u16, view.n, tables, candPos, candKey, nCand, some, only);
      return some;
    },
  };
}
