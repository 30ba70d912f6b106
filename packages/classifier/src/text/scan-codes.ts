/**
 * Finding status codes in raw text: enhanced codes (`5.7.509`, RFC 3463: class 2/4/5, 1–3 digit parts) and
 * basic SMTP reply codes (`550`).
 *
 * When several enhanced codes appear, the one in the remote server's reply wins (rank 3 > 2 > 1):
 *  3. inside a wrapped remote reply: after `returned '`, `->`, `said:` or `<<<` (Exchange "Remote server returned
 *     '550 5.1.1 …'", Postfix "host x said: 550 5.1.1 …", Sendmail transcripts), optionally after a reply code;
 *  2. inside a reply or diagnostic: right after a basic reply code (`550 5.1.1`, `550-5.1.1`), `LED=` or `smtp;`
 *     (DSN `Diagnostic-Code: smtp;550 5.1.1`);
 *  1. anywhere else: a DSN `Status:` field, an NDR's "#5.7.1" prefix, a bare code.
 * Ties go to the first occurrence. A DSN whose Status says 5.0.0 and whose Diagnostic-Code says 550 5.1.1 is
 * therefore 5.1.1: the remote server's own words are more specific than the reporting MTA's summary.
 *
 * One exception: when the winner is transient (4.x.x) and a permanent code (5.x.x) stands before it, the
 * permanent one wins. That is the shape of a final verdict wrapping the last temporary error — Exchange's
 * `550 5.4.300 Message expired -> 451 4.4.0 DNS query failed`, a DSN with `Status: 5.4.7` and a `451 4.4.0`
 * Diagnostic-Code — and the message is dead, not deferred.
 *
 * Everything reads the shared text view (text-view.ts): candidate codes start at the recorded dots, characters
 * come from the copied UTF-16 units, reply codes are constant strings (no slice per hit).
 */
import { sharedView, type TextView } from './text-view.js';

export interface CodeHit {
  cls: number;
  subject: number;
  detail: number;
  /** Position in the text (for the garbled pass: position of the garbled token). */
  index: number;
  rank: number;
  /** The basic reply code written right before this enhanced code (`550 5.1.1`), if any. */
  reply: string | null;
}

export interface CodeScan {
  code: CodeHit | null;
  /** Other distinct enhanced codes in the text (at most 3), or null when there is only one. */
  others: CodeHit[] | null;
  /** Reply paired with the chosen code, else the first reply code in a reply position. */
  reply: string | null;
}

/** Reply strings by number, so a found reply costs no allocation. */
const REPLY_TEXT: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

export function scanCodes(text: string): CodeScan {
  return scanCodesIn(sharedView(text));
}

export function scanCodesIn(view: TextView): CodeScan {
  const { u16, n, dots, nDots } = view;
  let best: CodeHit | null = null;
  let firstPermanent: CodeHit | null = null;
  let all: CodeHit[] | null = null;
  // `(?<![\d.])[245]\.\d{1,3}\.\d{1,3}(?!\d|\.\d)`, anchored on the recorded dots; `from` skips the dots inside
  // a code just read.
  let from = 1;
  for (let k = 0; k < nDots; k++) {
    const dot = dots[k] as number;
    if (dot < from) continue;
    const index = dot - 1;
    const c0 = u16[index] as number;
    if (c0 !== 50 && c0 !== 52 && c0 !== 53) continue;
    if (index > 0) {
      const p = u16[index - 1] as number;
      if (isDigit(p) || p === 46) continue;
    }
    let i = dot + 1;
    let subject = 0;
    const s0 = i;
    while (i < n && i - s0 < 4 && isDigit(u16[i] as number)) subject = subject * 10 + (u16[i++] as number) - 48;
    if (i === s0 || i - s0 > 3 || i >= n || (u16[i] as number) !== 46) continue;
    const d0 = ++i;
    let detail = 0;
    while (i < n && i - d0 < 4 && isDigit(u16[i] as number)) detail = detail * 10 + (u16[i++] as number) - 48;
    if (i === d0 || i - d0 > 3) continue;
    if (i < n && (u16[i] as number) === 46 && i + 1 < n && isDigit(u16[i + 1] as number)) continue;
    from = i;
    const reply = pairedReply(view, index);
    const rank = rankAt(view, reply === null ? index : index - 4, reply !== null);
    const hit = { cls: c0 - 48, subject, detail, index, rank, reply };
    if (best !== null && !sameCode(best, hit)) {
      all ??= [best];
      if (all.length < 4 && !all.some((h) => sameCode(h, hit))) all.push(hit);
    }
    if (firstPermanent === null && hit.cls === 5) firstPermanent = hit;
    if (best === null || rank > best.rank) best = hit;
  }
  if (best !== null && best.cls === 4 && firstPermanent !== null && firstPermanent.index < best.index) {
    best = firstPermanent;
  }
  const chosen = best;
  const others = all === null || chosen === null ? null : all.filter((h) => !sameCode(h, chosen));
  if (chosen !== null && chosen.reply !== null) return { code: chosen, others, reply: chosen.reply };
  return { code: chosen, others, reply: firstReply(view) };
}

function sameCode(a: CodeHit, b: CodeHit): boolean {
  return a.cls === b.cls && a.subject === b.subject && a.detail === b.detail;
}

/** `550 5.1.1` / `550-5.1.1`: the 3 characters before the separator at `index - 1`. */
export function pairedReply(view: TextView, index: number): string | null {
  if (index < 4) return null;
  const u16 = view.u16;
  const sep = u16[index - 1] as number;
  if (sep !== 32 && sep !== 45) return null; // ' ' or '-'
  const a = u16[index - 4] as number;
  const b = u16[index - 3] as number;
  const c = u16[index - 2] as number;
  if (!(a >= 50 && a <= 53 && a !== 51) || !isDigit(b) || !isDigit(c)) return null;
  if (index >= 5) {
    const before = u16[index - 5] as number;
    if (isDigit(before) || before === 46) return null;
  }
  return REPLY_TEXT[(a - 48) * 100 + (b - 48) * 10 + (c - 48)] as string;
}

/** A 3-digit reply code (RFC 5321: first digit 2–5, second 0–5); `firstReply` checks that it stands alone. */
const REPLY = /[245][0-5]\d/g;

/**
 * First reply code standing where replies stand: start of text or after `=`, `;`, `:`, `'`, `(`, `>`, `"`, `#`,
 * `[`, `{`. (The native regex finds the candidates faster than a loop over every character.)
 */
function firstReply(view: TextView): string | null {
  const { text, u16, n } = view;
  REPLY.lastIndex = 0;
  // `test` rather than `exec`: no match array per candidate; the match is the 3 characters before lastIndex.
  while (REPLY.test(text)) {
    const at = REPLY.lastIndex - 3;
    // The regex has no lookbehind (much faster); the boundaries are checked here.
    if (at > 0) {
      const b = u16[at - 1] as number;
      if (isDigit(b) || b === 46 || b === 44 || b === 47 || b === 58) continue;
    }
    const after = at + 3 < n ? (u16[at + 3] as number) : 32;
    if (after !== 32 && after !== 9 && after !== 45 && after !== 39) continue;
    let j = at - 1;
    while (j >= 0 && isSpace(u16[j] as number)) j--;
    if (j < 0) return replyAt(u16, at);
    const p = u16[j] as number;
    // = ; : ' ( > " # [ {
    if (
      p === 61 ||
      p === 59 ||
      p === 58 ||
      p === 39 ||
      p === 40 ||
      p === 62 ||
      p === 34 ||
      p === 35 ||
      p === 91 ||
      p === 123
    ) {
      return replyAt(u16, at);
    }
  }
  return null;
}

function replyAt(u16: Uint16Array, at: number): string {
  return REPLY_TEXT[
    ((u16[at] as number) - 48) * 100 + ((u16[at + 1] as number) - 48) * 10 + (u16[at + 2] as number) - 48
  ] as string;
}

/** Rank of a code (or of its reply code) starting at `start`; see the module comment. */
export function rankAt(view: TextView, start: number, paired: boolean): number {
  const u16 = view.u16;
  let j = start - 1;
  while (j >= 0 && isSpace(u16[j] as number)) j--;
  if (j < 0) return paired ? 2 : 1;
  const end = j + 1;
  if (endsWithCI(u16, end, "returned '") || endsWithCI(u16, end, '->') || endsWithCI(u16, end, 'said:')) return 3;
  if (endsWithCI(u16, end, '<<<')) return 3;
  if (paired || endsWithCI(u16, end, 'led=') || endsWithCI(u16, end, 'smtp;')) return 2;
  return 1;
}

function endsWithCI(u16: Uint16Array, end: number, lowerSuffix: string): boolean {
  const n = lowerSuffix.length;
  if (end < n) return false;
  for (let k = 0; k < n; k++) {
    let c = u16[end - n + k] as number;
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lowerSuffix.charCodeAt(k)) return false;
  }
  return true;
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 160;
}
