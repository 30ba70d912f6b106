/**
 * One pass over the bounded input, shared by every scanner: the text's UTF-16 units copied once into a typed
 * array (one native call, ≈ 65 ns for a diagnostic; reading a typed array in a loop costs much less than
 * `charCodeAt`, which checks the string's representation on every call), and the positions of the characters
 * the scanners start from: `.` (codes, hosts, IPv4, garbled codes), `@` (addresses), `:` (IPv6) and `(`
 * (sub-codes). The scanners then visit only those positions instead of calling `indexOf` again and again
 * (≈ 10 ns per call here) or walking the whole text once per scanner.
 *
 * `u16` holds stale characters after `n`: every reader bounds its reads by `n`.
 *
 * The classifier fills its view with the phrase pass (`match/phrase-matcher.ts`), which records the marks in the
 * same loop that feeds the phrase filter; `loadPlain` is the catalogue-free loop for `scanCodes(text)`,
 * `extractEntities(text)` and `explain`.
 */
import { Buffer } from 'node:buffer';

/** Flag bits above the phrase symbol (low 16 bits) in a character map. */
export const MARK_DOT = 0x10000;
export const MARK_AT = 0x20000;
export const MARK_COLON = 0x40000;
export const MARK_PAREN = 0x80000;
/** A character the case-insensitive regex and the phrase folding treat differently (see phrase-alphabet.ts). */
export const MARK_EXOTIC = 0x100000;
export const SYMBOL_MASK = 0xffff;

export interface TextView {
  text: string;
  /** `text`'s UTF-16 code units, verbatim, in `u16[0..n)`. */
  u16: Uint16Array;
  /** The same memory as bytes, for the native copy. */
  bytes: Buffer;
  n: number;
  /** Positions of every marked character, as the pass met them (capacity as `u16`). */
  marks: Int32Array;
  nMarks: number;
  /** The marks split by character, ascending: `dots[0..nDots)` and so on (filled by `splitMarks`). */
  dots: Int32Array;
  nDots: number;
  ats: Int32Array;
  nAts: number;
  colons: Int32Array;
  nColons: number;
  parens: Int32Array;
  nParens: number;
  /** The text has a character marked MARK_EXOTIC. */
  exotic: boolean;
}

export function createTextView(capacity: number): TextView {
  const u16 = new Uint16Array(capacity);
  return {
    text: '',
    u16,
    bytes: Buffer.from(u16.buffer),
    n: 0,
    marks: new Int32Array(capacity),
    nMarks: 0,
    dots: new Int32Array(16),
    nDots: 0,
    ats: new Int32Array(4),
    nAts: 0,
    colons: new Int32Array(8),
    nColons: 0,
    parens: new Int32Array(4),
    nParens: 0,
    exotic: false,
  };
}

/** Copies `text` into the view (growing it when needed); the caller's loop then records the marks. */
export function copyText(view: TextView, text: string): number {
  if (text.length > view.u16.length) {
    view.u16 = new Uint16Array(text.length);
    view.bytes = Buffer.from(view.u16.buffer);
    view.marks = new Int32Array(text.length);
  }
  const n = view.bytes.write(text, 0, 'utf16le') >> 1;
  view.text = text;
  view.n = n;
  view.nMarks = 0;
  return n;
}

/** Sorts the recorded marks into the per-character lists (a handful per diagnostic). */
export function splitMarks(view: TextView): void {
  const { u16, marks, nMarks } = view;
  view.nDots = 0;
  view.nAts = 0;
  view.nColons = 0;
  view.nParens = 0;
  view.exotic = false;
  for (let k = 0; k < nMarks; k++) {
    const i = marks[k] as number;
    const c = u16[i] as number;
    if (c === 46) {
      if (view.nDots === view.dots.length) view.dots = grow(view.dots);
      view.dots[view.nDots++] = i;
    } else if (c === 64) {
      if (view.nAts === view.ats.length) view.ats = grow(view.ats);
      view.ats[view.nAts++] = i;
    } else if (c === 58) {
      if (view.nColons === view.colons.length) view.colons = grow(view.colons);
      view.colons[view.nColons++] = i;
    } else if (c === 40) {
      if (view.nParens === view.parens.length) view.parens = grow(view.parens);
      view.parens[view.nParens++] = i;
    } else {
      view.exotic = true;
    }
  }
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/** The marks alone (no phrase symbols): `.`, `@`, `:`, `(`. */
const PLAIN_MARKS = new Uint32Array(65536);
PLAIN_MARKS[46] = MARK_DOT;
PLAIN_MARKS[64] = MARK_AT;
PLAIN_MARKS[58] = MARK_COLON;
PLAIN_MARKS[40] = MARK_PAREN;

/** Catalogue-free load: copy and marks. */
export function loadPlain(view: TextView, text: string): TextView {
  const n = copyText(view, text);
  const { u16, marks } = view;
  let nMarks = 0;
  for (let i = 0; i < n; i++) if (PLAIN_MARKS[u16[i] as number] !== 0) marks[nMarks++] = i;
  view.nMarks = nMarks;
  splitMarks(view);
  return view;
}

let shared: TextView | undefined;
/**
 * A module-wide view for the string-taking helpers (`scanCodes(text)`, `extractEntities(text)`, hints, explain);
 * never the classifier's own, so a hint can be scanned while the text's view is in use.
 */
export function sharedView(text: string): TextView {
  return loadPlain((shared ??= createTextView(256)), text);
}
