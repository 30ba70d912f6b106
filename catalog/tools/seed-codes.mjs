#!/usr/bin/env node
// Extracts the SMTP status codes a seed document mentions, so the catalogue test can check
// that every one of them has an entry. Plain Node ESM, no dependencies.
//
//   node catalog/tools/seed-codes.mjs                 # every *.txt in $NDR_SEEDS_DIR or ../shared/seeds beside the repo
//   node catalog/tools/seed-codes.mjs --json a.txt    # machine-readable, chosen files
//
// What counts as a code:
// - Enhanced status codes (RFC 3463) written as dotted triples `class.subject.detail`: class 2, 4 or 5,
//   subject 0-7 (the subjects RFC 3463 defines), detail 0-999. Anything else that looks dotted
//   (host names, IPs, "5322.From", "X.509", "RFC 5322 section 3.6.2") is not a code.
// - Ranges written the way the Microsoft tables write them: `4.7.500-699`, and prose ranges
//   `5.1.1 through 5.1.20` / `5.4.6 til og med 5.4.20` (nb). A range stands for every code in it.
// - The shorthand `5.7.13 or 135` (`eller` in nb), which means 5.7.13 and 5.7.135.
// - Basic reply codes (RFC 5321) where the text uses them as codes: in front of an enhanced code
//   (`550 5.1.10`, `smtp;530 5.7.1`), after "SMTP"/"SMTP error"/"SMTP status"/"SMTP reply",
//   as reply lines (`550-Verification`, `554 : Service`, `431 - An error`), or a reply code
//   RFC 5321 defines followed by its description (`211 System status`). A dotted triple in
//   class 3 is a reply code written with dots (`3.5.4 Start mail input`) when it is one RFC 5321
//   defines (354); otherwise it is ignored.
//
// Seed 000 is machine-garbled. The parts of a code may be written as
// - number words: `five.seven.325`, `5.one.10`, `5.1.twenty`, compounds (`twenty-one`,
//   `three hundred sixteen`), and the garbler's oddities `ane` (= one) and `half-dozen` (= 6);
// - roman numerals: `iv.7.321`, `5.1.viii`, `5.4.xiv`, `5.1.x` (= 5.1.10);
// - a space instead of the last dot: `Remote Server Returned 5.0 0`, `4.4 1` (seed 003).
// The placeholders `x.y.z`, `4.x.x`, `5.X.X` (which the garbler also turned into `4.10.x`,
// `five.ten.ten`) are not codes: their subject is above 7.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const UNITS = {
  zero: 0,
  one: 1,
  ane: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
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
  dozen: 12,
  'half-dozen': 6,
};
const TENS = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const WORDS = ['half-dozen', ...Object.keys(UNITS).filter((w) => w !== 'half-dozen'), ...Object.keys(TENS), 'hundred']
  .sort((a, b) => b.length - a.length)
  .join('|');

/** One number word, or a compound like `twenty-one` / `three hundred and sixteen`. */
const WORD_NUM = `(?:${WORDS})(?:[- ](?:and[- ])?(?:${WORDS}))*`;
const ROMAN = '[ivxlcdm]+';
const TOKEN = `(?:\\d{1,3}|${WORD_NUM}|${ROMAN})`;
const STRICT_ROMAN = /^m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$/;
const ROMAN_VALUES = { i: 1, v: 5, x: 10, l: 50, c: 100, d: 500, m: 1000 };

/** The value of one code part (`7`, `vii`, `seven`, `half-dozen`, `twenty-one`), or undefined. */
export function partValue(token) {
  const t = token.toLowerCase().trim();
  if (/^\d{1,3}$/.test(t)) return Number(t);
  if (t.length > 0 && STRICT_ROMAN.test(t)) {
    let total = 0;
    for (let i = 0; i < t.length; i++) {
      const v = ROMAN_VALUES[t[i]];
      const next = ROMAN_VALUES[t[i + 1]] ?? 0;
      total += v < next ? -v : v;
    }
    return total;
  }
  if (t === 'half-dozen') return 6;
  const words = t.split(/[- ]+/).filter((w) => w !== 'and');
  if (words.length === 0) return undefined;
  let value = 0;
  for (const w of words) {
    if (w in UNITS) value += UNITS[w];
    else if (w in TENS) value += TENS[w];
    else if (w === 'hundred') value = (value || 1) * 100;
    else return undefined;
  }
  return value;
}

// A dotted triple, optionally followed by a range end (`-699`). Not part of a longer dotted
// name (host names, IPs, `5.7.1.x`), not glued to a word.
const TRIPLE = new RegExp(
  `(?<![\\w.-])(${TOKEN})\\.(${TOKEN})\\.(${TOKEN})(?:\\s?-\\s?(${TOKEN}))?(?![\\w-]|\\.\\w)`,
  'gi',
);
// `5.0 0` / `4.4 1`: a code whose last dot became a space (seed 003). Single digits only.
const SPACED = /(?<![\w.-])([245])\.([0-7]) (\d)(?![\w.-])/g;
// `5.7.13 or 135` / `5.7.13 eller 135`: the second number shares class and subject.
const OR_SHORTHAND = /(?<![\w.-])([245])\.(\d{1,3})\.(\d{1,3}) (?:or|eller) (\d{1,3})(?![\w.-])/gi;
// `5.1.1 through 5.1.20`, `5.4.6 til og med 5.4.20`.
const THROUGH =
  /(?<![\w.-])([245])\.(\d{1,3})\.(\d{1,3}) (?:through|to|til og med|-) ([245])\.(\d{1,3})\.(\d{1,3})(?![\w-]|\.\w)/gi;

/** Reply codes RFC 5321 defines. */
export const RFC5321_REPLIES = new Set([
  '211',
  '214',
  '220',
  '221',
  '250',
  '251',
  '252',
  '354',
  '421',
  '450',
  '451',
  '452',
  '455',
  '500',
  '501',
  '502',
  '503',
  '504',
  '550',
  '551',
  '552',
  '553',
  '554',
  '555',
]);

const REPLY_BEFORE_CODE = /(?<![\w.:-])([2-5]\d\d)(?:[ -]|\s*;\s*)(?=[245]\.\d{1,3}\.\d{1,3}(?![\d]))/g;
const REPLY_AFTER_SMTP =
  /\bsmtp(?:\s+(?:error|status|reply)(?:\s+codes?)?)?\s*(?:\(state \d+\):\s*|;\s*)?([2-5]\d\d)(?![\w.-])/gi;
const REPLY_LINE = /(?<![\w.:-])([245]\d\d)(?:-(?=[A-Za-z])| : | - (?=[A-Za-z]))/g;
const REPLY_DESCRIBED = /(?<![\w.,:/-])([2-5]\d\d) (?=[A-Z])/g;

function validEnhanced(c, s, d) {
  return (c === 2 || c === 4 || c === 5) && s >= 0 && s <= 7 && d >= 0 && d <= 999;
}

/**
 * Rewrites garbled codes into digits (`iv.7.321` → `4.7.321`, `5.0 0` → `5.0.0`) and leaves
 * everything else alone. Exported for the tests and for eyeballing a seed.
 */
export function ungarble(text) {
  const folded = text.replace(/[\u00a0\u2009\u202f]/g, ' ');
  const tripled = folded.replace(TRIPLE, (whole, a, b, c, end) => {
    const v = [a, b, c].map(partValue);
    if (v.some((n) => n === undefined)) return whole;
    const [cl, s, d] = v;
    if (cl === 3 && s <= 9 && d <= 9) return whole; // reply code written with dots, handled later
    if (!validEnhanced(cl, s, d)) return whole;
    let out = `${cl}.${s}.${d}`;
    if (end !== undefined) {
      const e = partValue(end);
      if (e === undefined || e < d) return whole;
      out += `-${e}`;
    }
    return out;
  });
  return tripled.replace(SPACED, (_w, c, s, d) => `${c}.${s}.${d}`);
}

/**
 * Every code a text mentions: enhanced codes, ranges of enhanced codes, and basic reply codes.
 * Codes are `c.s.d` strings without leading zeros; ranges are `{ from, to }` on one class and subject.
 *
 * @param {string} text
 * @returns {{ codes: string[], ranges: { from: string, to: string }[], replies: string[] }}
 */
export function extractSeedCodes(text) {
  const t = ungarble(text);
  const codes = new Set();
  const ranges = new Map();
  const replies = new Set();
  const addRange = (c, s, d1, d2) => {
    if (d2 < d1) return;
    ranges.set(`${c}.${s}.${d1}-${d2}`, { from: `${c}.${s}.${d1}`, to: `${c}.${s}.${d2}` });
  };

  for (const m of t.matchAll(TRIPLE)) {
    const v = [m[1], m[2], m[3]].map(partValue);
    if (v.some((n) => n === undefined)) continue;
    const [c, s, d] = v;
    if (c === 3 && s <= 9 && d <= 9) {
      const reply = `${c}${s}${d}`;
      if (RFC5321_REPLIES.has(reply)) replies.add(reply);
      continue;
    }
    if (!validEnhanced(c, s, d)) continue;
    if (m[4] !== undefined) {
      const e = partValue(m[4]);
      if (e !== undefined && e >= d) addRange(c, s, d, e);
      continue;
    }
    codes.add(`${c}.${s}.${d}`);
  }
  for (const m of t.matchAll(OR_SHORTHAND)) {
    const [c, s, d, other] = [m[1], m[2], m[3], m[4]].map(Number);
    if (validEnhanced(c, s, d) && validEnhanced(c, s, other)) codes.add(`${c}.${s}.${other}`);
  }
  for (const m of t.matchAll(THROUGH)) {
    const [c1, s1, d1, c2, s2, d2] = m.slice(1, 7).map(Number);
    if (c1 === c2 && s1 === s2 && validEnhanced(c1, s1, d1) && validEnhanced(c2, s2, d2)) {
      addRange(c1, s1, d1, d2);
    }
  }

  for (const re of [REPLY_BEFORE_CODE, REPLY_AFTER_SMTP, REPLY_LINE]) {
    for (const m of t.matchAll(re)) replies.add(m[1]);
  }
  for (const m of t.matchAll(REPLY_DESCRIBED)) {
    if (RFC5321_REPLIES.has(m[1])) replies.add(m[1]);
  }

  return {
    codes: [...codes].sort(compareCodes),
    ranges: [...ranges.values()].sort((a, b) => compareCodes(a.from, b.from) || compareCodes(a.to, b.to)),
    replies: [...replies].sort(),
  };
}

/** Numeric order for `c.s.d` codes. */
export function compareCodes(a, b) {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The seed files in a directory (`NNN_*.txt`), sorted. */
export function listSeedFiles(dir) {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_.*\.txt$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** `000_daca91c34b0cb514.txt` → `000`. */
export function seedId(file) {
  return basename(file).slice(0, 3);
}

// The workspace keeps shared/ beside the repository (CI clones it that way too).
export const DEFAULT_SEEDS_DIR = fileURLToPath(new URL('../../../shared/seeds/', import.meta.url));

function main(argv) {
  const json = argv.includes('--json');
  const args = argv.filter((a) => a !== '--json');
  const targets = args.length > 0 ? args : [process.env.NDR_SEEDS_DIR || DEFAULT_SEEDS_DIR];
  const files = targets.flatMap((p) => (statSync(p).isDirectory() ? listSeedFiles(p) : [resolve(p)]));
  const result = {};
  for (const f of files) result[seedId(f)] = extractSeedCodes(readFileSync(f, 'utf8'));
  if (json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  for (const [id, r] of Object.entries(result)) {
    const rs = r.ranges.map((x) => `${x.from}-${x.to.split('.')[2]}`);
    process.stdout.write(
      `${id}: ${r.codes.length} codes, ${r.ranges.length} ranges, ${r.replies.length} reply codes\n` +
        `  codes:   ${r.codes.join(' ')}\n` +
        `  ranges:  ${rs.join(' ') || '-'}\n` +
        `  replies: ${r.replies.join(' ') || '-'}\n`,
    );
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2));
}
