/**
 * Entities mentioned in a diagnostic: IP addresses, host/domain names, e-mail addresses and the Exchange
 * Online sub-code (`(AS843)`, `(S3150)`, `AS(201806281)`).
 *
 * Runs of `[A-Za-z0-9.-_]` that contain a dot are an IPv4 address
 * (four octets ≤ 255), a host name (labels, alphabetic TLD that is two letters or a listed generic one, so
 * Exchange component names like `STOREDRV.Deliver` or `RESOLVER.ADR.RecipientNotFound` are not hosts), or
 * nothing. Everything starts from the positions the text view recorded (text-view.ts): runs from each `.`,
 * addresses from each `@`, IPv6 from each `:` (ipv6.ts; only when the text has `::` or many colons), sub-codes
 * from each `(` (sub-code.ts). Characters are read from the view's copied UTF-16 units; a string is made only
 * for what is kept.
 */
import type { Entities } from '../types.js';
import { findIPv6 } from './ipv6.js';
import { subCode } from './sub-code.js';
import { sharedView, type TextView } from './text-view.js';

const TLD_LIST =
  'com net org edu gov mil int info biz name pro io ai app dev cloud email online site xyz top shop tech live ' +
  'store blog page website space news host mobi asia tel travel jobs museum aero coop cat arpa local lan';
const TLDS = TLD_LIST.split(' ');
const MAX_TLD = Math.max(...TLDS.map((t) => t.length));
/** A lower-case label of up to MAX_TLD letters as a number (base 27), so checking a TLD makes no string. */
const labelKey = (u16: ArrayLike<number>, from: number, to: number): number => {
  let key = 0;
  for (let k = from; k < to; k++) key = key * 27 + (((u16[k] as number) | 32) - 96);
  return key;
};
const TLD_KEYS = new Set(
  TLDS.map((t) =>
    labelKey(
      Uint16Array.from(t, (c) => c.charCodeAt(0)),
      0,
      t.length,
    ),
  ),
);

/** 1 letter, 2 digit, 4 dot, 8 hyphen, 16 underscore, 32 other local-part characters of an address (all UTF-16 units). */
const KIND = new Uint8Array(65536);
for (let c = 65; c <= 90; c++) KIND[c] = 1;
for (let c = 97; c <= 122; c++) KIND[c] = 1;
for (let c = 48; c <= 57; c++) KIND[c] = 2;
KIND[46] = 4;
KIND[45] = 8;
KIND[95] = 16;
for (const ch of "%+'=") KIND[ch.charCodeAt(0)] = 32;
const TOKEN = 1 | 2 | 4 | 8 | 16;

export function extractEntities(text: string): Entities {
  return extractEntitiesIn(sharedView(text));
}

export function extractEntitiesIn(view: TextView): Entities {
  const { text, u16, n, dots, nDots } = view;
  const ips: string[] = [];
  const domains: string[] = [];
  const addresses: string[] = [];
  // Runs with a dot, grown to their ends by hand. While growing, note what the last label is made of, so most
  // runs are settled without a second pass.
  for (let k = 0, from = 0; k < nDots; k++) {
    const dot = dots[k] as number;
    if (dot < from) continue;
    let start = dot;
    let kinds = 0;
    while (start > 0) {
      const kind = KIND[u16[start - 1] as number] as number;
      if ((kind & TOKEN) === 0) break;
      kinds |= kind;
      start--;
    }
    let i = dot + 1;
    let lastDot = dot;
    let lastKinds = 0;
    while (i < n) {
      const kind = KIND[u16[i] as number] as number;
      if ((kind & TOKEN) === 0) break;
      if (kind === 4) {
        lastDot = i;
        lastKinds = 0;
      } else {
        lastKinds |= kind;
      }
      kinds |= kind;
      i++;
    }
    from = i + 1;
    let end = i;
    while (end > start && (u16[end - 1] === 46 || u16[end - 1] === 45)) end--;
    if (end - start < 4) continue;
    if (start > 0 && u16[start - 1] === 64) continue; // domain part of an address
    if ((kinds & (1 | 8 | 16)) === 0) {
      if (isIPv4(u16, start, end)) pushUnique(ips, text.slice(start, end));
    } else if ((kinds & 16) === 0 && (kinds & 1) !== 0) {
      // A host ends in an alphabetic label (the TLD); when the run was not trimmed, lastKinds tells at once.
      if (end === i && (lastKinds !== 1 || end - lastDot - 1 > MAX_TLD)) continue;
      const host = hostKind(u16, start, end);
      if (host !== NOT_HOST) {
        const name = text.slice(start, end);
        pushUnique(domains, host === HOST_UPPER ? name.toLowerCase() : name);
      }
    }
  }
  if (view.nColons >= 5 || hasDoubleColon(view)) findIPv6(view, ips);
  for (let k = 0; k < view.nAts; k++) {
    const address = addressAt(view, view.ats[k] as number);
    if (address !== null) pushUnique(addresses, address);
  }
  const sub_code = view.nParens === 0 ? null : subCode(view);
  return { ips, domains, addresses, sub_code };
}

/** A `::` somewhere (two adjacent recorded colons). */
function hasDoubleColon(view: TextView): boolean {
  const c = view.colons;
  for (let k = 1; k < view.nColons; k++) if (c[k] === (c[k - 1] as number) + 1) return true;
  return false;
}

function isIPv4(u16: Uint16Array, start: number, end: number): boolean {
  let parts = 0;
  let value = 0;
  let digits = 0;
  for (let i = start; i <= end; i++) {
    const c = i < end ? (u16[i] as number) : 46;
    if (c === 46) {
      if (digits === 0 || value > 255 || (digits > 1 && (u16[i - digits] as number) === 48)) return false;
      parts++;
      value = 0;
      digits = 0;
    } else {
      value = value * 10 + (c - 48);
      if (++digits > 3) return false;
    }
  }
  return parts === 4;
}

const NOT_HOST = 0;
const HOST = 1;
const HOST_UPPER = 2;

/**
 * Is the run a host name (labels, at least two; last one alphabetic, a country code or a listed TLD)? HOST_UPPER
 * when it has upper-case letters (so lower-casing makes a new string), HOST when not, NOT_HOST.
 */
function hostKind(u16: Uint16Array, start: number, end: number): number {
  let labelStart = start;
  let labels = 0;
  let upper = 0;
  for (let i = start; i <= end; i++) {
    if (i < end) {
      const c = u16[i] as number;
      if (c !== 46) {
        if (c >= 65 && c <= 90) upper = 1;
        continue;
      }
    }
    const len = i - labelStart;
    if (len === 0 || len > 63) return NOT_HOST;
    if (u16[labelStart] === 45 || u16[i - 1] === 45) return NOT_HOST;
    labels++;
    if (i === end) {
      if (len < 2 || len > MAX_TLD || labels < 2) return NOT_HOST;
      for (let k = labelStart; k < end; k++) if (KIND[u16[k] as number] !== 1) return NOT_HOST;
      if (len !== 2 && !TLD_KEYS.has(labelKey(u16, labelStart, end))) return NOT_HOST;
      return upper === 0 ? HOST : HOST_UPPER;
    }
    labelStart = i + 1;
  }
  return NOT_HOST;
}

function addressAt(view: TextView, at: number): string | null {
  const { text, u16, n } = view;
  let s = at;
  while (s > 0) {
    const c = u16[s - 1] as number;
    if (c >= 128 || KIND[c] === 0) break;
    s--;
  }
  while (s < at && (u16[s] as number) === 46) s++;
  let e = at + 1;
  while (e < n) {
    const c = u16[e] as number;
    if (c >= 128 || ((KIND[c] as number) & (1 | 2 | 4 | 8)) === 0) break;
    e++;
  }
  while (e > at + 1 && ((u16[e - 1] as number) === 46 || (u16[e - 1] as number) === 45)) e--;
  if (s === at || e - at < 4) return null;
  // A dot after the `@`, up to and including position e (as `lastIndexOf('.', e) > at`).
  let d = e < n ? e : n - 1;
  while (d > at && (u16[d] as number) !== 46) d--;
  if (d <= at) return null;
  return text.slice(s, e).toLowerCase();
}

function pushUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}
