/**
 * Garbled codes as they come out of machine-"spun" or OCR'd copies of the NDR table (seed 000): digits written
 * as words or roman numerals, `iv.7.321`, `five.seven.325`, `5.one.10`, `v.1.x`, `5.four.half-dozen`.
 * Only tried when the fast scan found no enhanced code, so clean input never pays for it.
 */
import { pairedReply, rankAt, type CodeHit } from './scan-codes.js';
import { sharedView, type TextView } from './text-view.js';

const WORDS: Readonly<Record<string, number>> = {
  zero: 0,
  one: 1,
  ane: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  'half-dozen': 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
};
/**
 * Any dotted triple of short word-ish tokens; the tokens are checked in JavaScript afterwards. A plain character
 * class pattern runs much faster in V8 than an alternation of every number word at every position.
 */
const GARBLED =
  /(?<![a-z0-9.-])(half-dozen|[a-z0-9]{1,10})\.(half-dozen|[a-z0-9]{1,10})\.(half-dozen|[a-z0-9]{1,10})(?![a-z0-9]|\.[a-z0-9])/giy;
const ROMAN: Readonly<Record<string, number>> = { i: 1, v: 5, x: 10 };
const CLASS_TOKENS = ['2', '4', '5', 'two', 'four', 'five', 'ii', 'iv', 'v'];
/** A token of `[0-9A-Za-z-]` as a number (case-folded), so checking the class token makes no string. */
const tokenKey = (chars: ArrayLike<number>, from: number, to: number): number => {
  let key = 0;
  for (let k = from; k < to; k++) {
    const c = chars[k] as number;
    key = key * 40 + (c <= 57 ? (c === 45 ? 37 : c - 47) : (c | 32) - 86);
  }
  return key;
};
const CLASS_KEYS = new Set(
  CLASS_TOKENS.map((t) =>
    tokenKey(
      Uint16Array.from(t, (c) => c.charCodeAt(0)),
      0,
      t.length,
    ),
  ),
);

export function scanGarbled(text: string): CodeHit | null {
  return scanGarbledIn(sharedView(text));
}

export function scanGarbledIn(view: TextView): CodeHit | null {
  const { text, u16, dots, nDots } = view;
  let best: CodeHit | null = null;
  // Anchored on the dots: the token before a dot starts a candidate triple; the sticky regex checks exactly
  // there, so the scan never walks the text character by character. (A dot at position 0 ends the scan.)
  for (let k = 0, from = 0; k < nDots; k++) {
    let dot = dots[k] as number;
    if (dot === 0) break;
    if (dot < from) continue;
    let start = dot;
    while (start > 0 && dot - start < 10 && isTokenChar(u16[start - 1] as number)) start--;
    if (start === dot || dot - start > 4) continue;
    // The class token can only say 2, 4 or 5: check that before anything else (host names are the usual triples).
    if (!CLASS_KEYS.has(tokenKey(u16, start, dot))) continue;
    GARBLED.lastIndex = start;
    const m = GARBLED.exec(text);
    if (m === null) continue;
    dot = Math.max(dot, m.index + m[0].length - 1);
    from = dot + 1;
    const a = m[1] ?? '';
    const b = m[2] ?? '';
    const c = m[3] ?? '';
    if (isDigits(a) && isDigits(b) && isDigits(c)) continue;
    const cls = tokenValue(a);
    const subject = tokenValue(b);
    const detail = tokenValue(c);
    // RFC 3463 defines subjects 0-7: `five.ten.ten` is the table's `5.x.x` placeholder, not a code.
    if ((cls !== 2 && cls !== 4 && cls !== 5) || subject < 0 || subject > 7 || detail < 0) continue;
    const reply = pairedReply(view, m.index);
    const rank = rankAt(view, reply === null ? m.index : m.index - 4, reply !== null);
    if (best === null || rank > best.rank) best = { cls, subject, detail, index: m.index, rank, reply };
  }
  return best;
}

function isTokenChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 45;
}

function isDigits(s: string): boolean {
  return /^\d+$/.test(s);
}

/** Digits, a number word or a canonical roman numeral (i…xxxix); -1 otherwise. */
export function tokenValue(token: string): number {
  const t = token.toLowerCase();
  if (isDigits(t)) return Number(t);
  const w = WORDS[t];
  if (w !== undefined) return w;
  return romanValue(t);
}

function romanValue(t: string): number {
  let total = 0;
  for (let i = 0; i < t.length; i++) {
    const v = ROMAN[t[i] ?? ''] ?? 0;
    const next = ROMAN[t[i + 1] ?? ''] ?? 0;
    total += v < next ? -v : v;
  }
  // Reject non-canonical spellings such as "iiii" or "vx" by writing the number back.
  return total > 0 && toRoman(total) === t ? total : -1;
}

function toRoman(n: number): string {
  const tens = 'x'.repeat(Math.floor(n / 10));
  const ones = ['', 'i', 'ii', 'iii', 'iv', 'v', 'vi', 'vii', 'viii', 'ix'][n % 10] ?? '';
  return tens + ones;
}
