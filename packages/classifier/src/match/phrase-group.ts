/**
 * The few phrases that can change the answer once a code is known (the code's own entries and the code-less
 * entries), one group per candidate set, built on first use and cached by the caller.
 *
 * Semantics: those of one case-insensitive alternation of the group's phrases, longest first, run globally over
 * the text (`/…|…/gi`, whitespace in a phrase matching any run of `[\s\u00a0]`, an apostrophe matching the
 * typographic ones): matches are leftmost, the longest phrase wins at a position, and matches do not overlap.
 * `scanGroupOccurrences` computes exactly that from the shared pass's occurrence list (phrase-matcher.ts), with
 * no regex; for the rare text with a character where the regex and the folding disagree (MARK_EXOTIC), the
 * alternation itself runs (`scanGroupRegex`, compiled on first such use).
 */
import { escapeRegex, foldPhrase, REGEX_APOSTROPHE, REGEX_SPACE } from './phrase-alphabet.js';
import type { Occurrences } from './phrase-matcher.js';

export interface PhraseGroup {
  /** By folded phrase id: the entries listing that phrase, in the order they are reported; undefined if not in the group. */
  readonly entriesOf: ReadonlyArray<readonly number[] | undefined>;
  /** Folded phrase → entries (the same lists), for the regex path. */
  readonly entries: ReadonlyMap<string, readonly number[]>;
  /** By prefix number (phrase-trie.ts): 1 when a phrase of the group starts with it. */
  readonly prefixes: Uint8Array;
  re: RegExp | null;
}

export function compilePhraseGroup(
  phrases: ReadonlyArray<{ phrase: string; entry: number }>,
  matcher: { fidOf: ReadonlyMap<string, number>; prefixOfFid: Int32Array; prefixes: number },
): PhraseGroup | null {
  const { fidOf, prefixOfFid } = matcher;
  const entries = new Map<string, number[]>();
  for (const { phrase, entry } of phrases) {
    const f = foldPhrase(phrase);
    if (f.length === 0) continue;
    const list = entries.get(f) ?? [];
    if (!list.includes(entry)) list.push(entry);
    entries.set(f, list);
  }
  if (entries.size === 0) return null;
  const entriesOf: Array<readonly number[] | undefined> = new Array(fidOf.size).fill(undefined);
  const prefixes = new Uint8Array(matcher.prefixes);
  for (const [f, list] of entries) {
    const fid = fidOf.get(f);
    if (fid === undefined) continue;
    entriesOf[fid] = list;
    prefixes[prefixOfFid[fid] as number] = 1;
  }
  return { entriesOf, entries, prefixes, re: null };
}

/** Calls `onHit(entry, length)` for every match of the group's alternation in `text`. */
export function scanGroupRegex(group: PhraseGroup, text: string, onHit: (entry: number, length: number) => void): void {
  const re = (group.re ??= new RegExp(
    [...group.entries.keys()]
      .sort((a, b) => b.length - a.length)
      .map((p) => escapeRegex(p).replace(/ /g, REGEX_SPACE).replace(/'/g, REGEX_APOSTROPHE))
      .join('|'),
    'gi',
  ));
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    // Most matches are written as in the catalogue, up to case: skip the full fold for those.
    const lower = m[0].toLowerCase();
    const f = group.entries.has(lower) ? lower : foldPhrase(m[0]);
    for (const e of group.entries.get(f) ?? []) onHit(e, f.length);
  }
}

/** The same matches as `scanGroupRegex`, from the occurrences (ordered by start) of every phrase. */
export function scanGroupOccurrences(
  group: PhraseGroup,
  occ: Occurrences,
  lengthOf: Int32Array,
  onHit: (entry: number, length: number) => void,
): void {
  const { fid, start, end, count } = occ;
  const entriesOf = group.entriesOf;
  let last = 0;
  for (let i = 0; i < count;) {
    const p = start[i] as number;
    if (p < last || entriesOf[fid[i] as number] === undefined) {
      i++;
      continue;
    }
    // The leftmost start at or after the previous match's end: the group's longest phrase there wins.
    let best = i;
    let j = i + 1;
    for (; j < count && start[j] === p; j++) {
      const f = fid[j] as number;
      if (entriesOf[f] !== undefined && (lengthOf[f] as number) > (lengthOf[fid[best] as number] as number)) best = j;
    }
    const f = fid[best] as number;
    const length = lengthOf[f] as number;
    for (const e of entriesOf[f] as readonly number[]) onHit(e, length);
    last = end[best] as number;
    i = j;
  }
}
