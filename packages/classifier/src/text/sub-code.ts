/**
 * The Exchange Online sub-code for entities.ts: the first of `(AS843)`, `(S3150)` (2–12 digits, upper case) and
 * `AS(201806281)` (after a word boundary), as `/\((AS|S)(\d{2,12})\)|\bAS\((\d{2,12})\)/` finds it, from the
 * recorded `(` positions. Matches of both forms start at or 2 before a parenthesis, and neither can start inside
 * the other's prefix, so the first hit in this order is the leftmost.
 */
import type { TextView } from './text-view.js';

export function subCode(view: TextView): string | null {
  const { text, u16, n, parens, nParens } = view;
  for (let k = 0; k < nParens; k++) {
    const p = parens[k] as number;
    if (p >= 2 && u16[p - 2] === 65 && u16[p - 1] === 83 && (p === 2 || !isWordChar(u16[p - 3] as number))) {
      const len = digitsThenParen(view, p + 1);
      if (len > 0) return `AS${text.slice(p + 1, p + 1 + len)}`;
    }
    let from = -1;
    if (p + 2 < n && u16[p + 1] === 65 && u16[p + 2] === 83) from = p + 3;
    else if (p + 1 < n && u16[p + 1] === 83) from = p + 2;
    if (from < 0) continue;
    const len = digitsThenParen(view, from);
    if (len > 0) return text.slice(p + 1, from + len);
  }
  return null;
}

/** Length of a run of 2–12 digits at `from` followed by `)`, or 0. */
function digitsThenParen(view: TextView, from: number): number {
  const { u16, n } = view;
  let i = from;
  while (i < n && i - from <= 12 && (u16[i] as number) >= 48 && (u16[i] as number) <= 57) i++;
  const len = i - from;
  return len >= 2 && len <= 12 && i < n && u16[i] === 41 ? len : 0;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
