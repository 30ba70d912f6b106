/**
 * Every catalogue phrase (English and Norwegian) in one Aho–Corasick automaton, compiled to a dense DFA over
 * typed arrays. One pass over the text finds every phrase, whatever their number: no regex per phrase, no
 * lower-cased copy of the text. Case folding, whitespace folding (runs of spaces, tabs, newlines and NBSP
 * count as one space) and typographic apostrophes (’ → ') are applied per character through a lookup table.
 */

export interface PhraseHit {
  /** Index of the phrase in the list given to `createPhraseMatcher`. */
  phrase: number;
}

export interface PhraseMatcher {
  readonly size: number;
  /** Calls `onHit(phraseIndex)` for each occurrence of a phrase in `text` (the same phrase may repeat). */
  scan(text: string, onHit: (phrase: number) => void): void;
}

const WHITESPACE = [9, 10, 11, 12, 13, 32, 160, 0x2028, 0x2029, 0x202f, 0x2007, 0x3000];
const APOSTROPHES = [0x2018, 0x2019, 0x02bc, 0x0060, 0x00b4];

/** Folds a phrase the same way the scan folds text. */
export function foldPhrase(p: string): string {
  return p
    .toLowerCase()
    .replace(/[\s\u00a0]+/g, ' ')
    .replace(/[\u2018\u2019\u02bc\u0060\u00b4]/g, "'")
    .trim();
}

export function createPhraseMatcher(phrases: readonly string[]): PhraseMatcher {
  const folded = phrases.map(foldPhrase);
  // Alphabet: symbol 0 is "any other character"; each distinct phrase character gets its own symbol.
  const symbolOfChar = new Map<number, number>();
  for (const p of folded) {
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      if (!symbolOfChar.has(c)) symbolOfChar.set(c, symbolOfChar.size + 1);
    }
  }
  const width = symbolOfChar.size + 1;
  const charMap = new Uint16Array(65536);
  for (let c = 0; c < 65536; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const lower = String.fromCharCode(c).toLowerCase();
    if (lower.length === 1) charMap[c] = symbolOfChar.get(lower.charCodeAt(0)) ?? 0;
  }
  const space = symbolOfChar.get(32) ?? 0;
  for (const c of WHITESPACE) charMap[c] = space;
  const apostrophe = symbolOfChar.get(39) ?? 0;
  for (const c of APOSTROPHES) charMap[c] = apostrophe;

  // Trie.
  const goto: number[][] = [new Array<number>(width).fill(-1)];
  const ends: number[][] = [[]];
  folded.forEach((p, index) => {
    if (p.length === 0) return;
    let s = 0;
    for (let i = 0; i < p.length; i++) {
      const sym = symbolOfChar.get(p.charCodeAt(i)) ?? 0;
      const row = goto[s] as number[];
      let next = row[sym] ?? -1;
      if (next < 0) {
        next = goto.length;
        goto.push(new Array<number>(width).fill(-1));
        ends.push([]);
        row[sym] = next;
      }
      s = next;
    }
    (ends[s] as number[]).push(index);
  });

  // Failure links by breadth-first search, folded into a complete transition table (a DFA).
  const states = goto.length;
  const delta = states * width < 2 ** 31 ? new Int32Array(states * width) : new Int32Array(0);
  const fail = new Int32Array(states);
  const queue: number[] = [];
  const root = goto[0] as number[];
  for (let sym = 0; sym < width; sym++) {
    const next = root[sym] ?? -1;
    if (next > 0) {
      fail[next] = 0;
      delta[sym] = next;
      queue.push(next);
    } else {
      delta[sym] = 0;
    }
  }
  for (let qi = 0; qi < queue.length; qi++) {
    const s = queue[qi] as number;
    const row = goto[s] as number[];
    const f = fail[s] as number;
    (ends[s] as number[]).push(...(ends[f] as number[]));
    for (let sym = 0; sym < width; sym++) {
      const next = row[sym] ?? -1;
      if (next > 0) {
        fail[next] = delta[f * width + sym] as number;
        delta[s * width + sym] = next;
        queue.push(next);
      } else {
        delta[s * width + sym] = delta[f * width + sym] as number;
      }
    }
  }
  // Runtime table: entries are next-state * width (premultiplied), bit-inverted (~) when that state ends a phrase.
  const table = new Int32Array(states * width);
  const outStart = new Int32Array(states + 1);
  const flat: number[] = [];
  for (let s = 0; s < states; s++) {
    outStart[s] = flat.length;
    flat.push(...new Set(ends[s] as number[]));
  }
  outStart[states] = flat.length;
  for (let k = 0; k < table.length; k++) {
    const next = delta[k] as number;
    const hasOut = (outStart[next + 1] as number) > (outStart[next] as number);
    table[k] = hasOut ? ~(next * width) : next * width;
  }
  const out = Int32Array.from(flat);

  return {
    size: folded.length,
    scan(text, onHit) {
      let s = 0;
      let prevSpace = true;
      for (let i = 0, n = text.length; i < n; i++) {
        const sym = charMap[text.charCodeAt(i)] as number;
        if (sym === space) {
          if (prevSpace) continue;
          prevSpace = true;
        } else {
          prevSpace = false;
        }
        const v = table[s + sym] as number;
        if (v >= 0) {
          s = v;
          continue;
        }
        s = ~v;
        const state = s / width;
        for (let k = outStart[state] as number, b = outStart[state + 1] as number; k < b; k++) onHit(out[k] as number);
      }
    },
  };
}
