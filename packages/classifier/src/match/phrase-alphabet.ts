/**
 * How text characters fold for phrase matching, as one lookup table built once per alphabet.
 *
 * Phrases are lower-cased; runs of whitespace (spaces, tabs, newlines, NBSP…) count as one space; typographic
 * apostrophes (’ ‘ ʼ ` ´) count as `'`. Each distinct phrase character is a symbol (1…); everything else is
 * symbol 0. The table's low 16 bits are the symbol of a text character (its `toLowerCase`), the high bits are the
 * text view's marks (`.` `@` `:` `(`) and MARK_EXOTIC.
 *
 * MARK_EXOTIC flags the few characters for which the per-code case-insensitive regex (phrase-group.ts, `/i`
 * without `u`, `[\s\u00a0]+` for a space) and the `toLowerCase` folding disagree: the Kelvin sign (`toLowerCase`
 * gives `k`, the regex does not match it), `\u2000`-style spaces (`\s`, not folded), the final sigma. It is
 * computed by asking V8's own regex engine about every character, so it follows the engine, not a model of it.
 * A text with such a character takes the regex path for code-specific phrases; every other text gets the same
 * answer from the one shared pass.
 */
import { MARK_AT, MARK_COLON, MARK_DOT, MARK_EXOTIC, MARK_PAREN, SYMBOL_MASK } from '../text/text-view.js';

const WHITESPACE = [9, 10, 11, 12, 13, 32, 160, 0x2028, 0x2029, 0x202f, 0x2007, 0x3000];
const APOSTROPHES = [0x2018, 0x2019, 0x02bc, 0x0060, 0x00b4];
/** What phrase-group.ts writes for a space and for an apostrophe. */
export const REGEX_SPACE = '[\\s\\u00a0]+';
export const REGEX_APOSTROPHE = "['\\u2018\\u2019\\u02bc`\\u00b4]";

/** Folds a phrase the same way the scan folds text. */
export function foldPhrase(p: string): string {
  return p
    .toLowerCase()
    .replace(/[\s\u00a0]+/g, ' ')
    .replace(/[\u2018\u2019\u02bc\u0060\u00b4]/g, "'")
    .trim();
}

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export interface Alphabet {
  /** Phrase character code → symbol (1…), in order of first appearance. */
  readonly symbolOf: ReadonlyMap<number, number>;
  /** Number of symbols plus one (symbol 0). */
  readonly width: number;
  /** Symbol of the space (0 when no phrase has one). */
  readonly space: number;
  /** Text character → symbol | marks. */
  readonly map: Uint32Array;
}

/** Tables by alphabet: classifiers over the same phrases share one (256 KiB each). */
const maps = new Map<string, Uint32Array>();

export function createAlphabet(folded: readonly string[]): Alphabet {
  const symbolOf = new Map<number, number>();
  for (const p of folded) {
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      if (!symbolOf.has(c)) symbolOf.set(c, symbolOf.size + 1);
    }
  }
  const key = String.fromCharCode(...symbolOf.keys());
  let map = maps.get(key);
  if (map === undefined) {
    map = buildMap(symbolOf);
    if (maps.size < 64) maps.set(key, map);
  }
  return { symbolOf, width: symbolOf.size + 1, space: symbolOf.get(32) ?? 0, map };
}

function buildMap(symbolOf: ReadonlyMap<number, number>): Uint32Array {
  const map = new Uint32Array(65536);
  for (let c = 0; c < 65536; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const lower = String.fromCharCode(c).toLowerCase();
    if (lower.length === 1) map[c] = symbolOf.get(lower.charCodeAt(0)) ?? 0;
  }
  const space = symbolOf.get(32) ?? 0;
  for (const c of WHITESPACE) map[c] = space;
  const apostrophe = symbolOf.get(39) ?? 0;
  for (const c of APOSTROPHES) map[c] = apostrophe;
  markExotic(map, symbolOf);
  map[46] = (map[46] as number) | MARK_DOT;
  map[64] = (map[64] as number) | MARK_AT;
  map[58] = (map[58] as number) | MARK_COLON;
  map[40] = (map[40] as number) | MARK_PAREN;
  return map;
}

/** Sets MARK_EXOTIC where the regex would match a different set of symbols than the table says. */
function markExotic(map: Uint32Array, symbolOf: ReadonlyMap<number, number>): void {
  const atoms: Array<[RegExp, number]> = [];
  for (const [c, sym] of symbolOf) {
    const source = c === 32 ? REGEX_SPACE : c === 39 ? REGEX_APOSTROPHE : escapeRegex(String.fromCharCode(c));
    atoms.push([new RegExp(`^(?:${source})$`, 'i'), sym]);
  }
  if (atoms.length === 0) return;
  const any = new RegExp(`^(?:${atoms.map(([re]) => re.source.slice(4, -2)).join('|')})$`, 'i');
  for (let c = 0; c < 65536; c++) {
    const s = String.fromCharCode(c);
    const sym = (map[c] as number) & SYMBOL_MASK;
    let agree: boolean;
    if (!any.test(s)) {
      agree = sym === 0;
    } else {
      let matched = 0;
      let count = 0;
      for (const [re, atomSym] of atoms) {
        if (re.test(s)) {
          matched = atomSym;
          count++;
        }
      }
      agree = count === 1 && matched === sym;
    }
    // Σ lower-cases by context (σ or ς); the regex path lower-cases the whole match.
    if (!agree || c === 0x3a3) map[c] = (map[c] as number) | MARK_EXOTIC;
  }
}
