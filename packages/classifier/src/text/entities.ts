/**
 * Entities mentioned in a diagnostic: IP addresses, host/domain names, e-mail addresses and the Exchange
 * Online sub-code (`(AS843)`, `(S3150)`, `AS(201806281)`).
 *
 * Runs of `[A-Za-z0-9.-_]` that contain a dot are an IPv4 address
 * (four octets ≤ 255), a host name (labels, alphabetic TLD that is two letters or a listed generic one, so
 * Exchange component names like `STOREDRV.Deliver` or `RESOLVER.ADR.RecipientNotFound` are not hosts), or
 * nothing. Runs are found from each `.` with the native `indexOf` (far faster than a JS loop over every
 * character), addresses from each `@`, IPv6 from each `:` (only when the text has `::` or many colons).
 */
import { isIPv6 } from 'node:net';
import type { Entities } from '../types.js';

const SUB_CODE = /\((AS|S)(\d{2,12})\)|\bAS\((\d{2,12})\)/;

const TLD_LIST =
  'com net org edu gov mil int info biz name pro io ai app dev cloud email online site xyz top shop tech live ' +
  'store blog page website space news host mobi asia tel travel jobs museum aero coop cat arpa local lan';
const TLDS = new Set(TLD_LIST.split(' '));
const MAX_TLD = Math.max(...[...TLDS].map((t) => t.length));

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
  const ips: string[] = [];
  const domains: string[] = [];
  const addresses: string[] = [];
  const n = text.length;
  // Runs with a dot: found with the native indexOf, grown to their ends by hand. While growing, note what the
  // last label is made of, so most runs are settled without a second pass.
  for (let dot = text.indexOf('.'); dot >= 0 && dot < n;) {
    let start = dot;
    let kinds = 0;
    while (start > 0) {
      const k = KIND[text.charCodeAt(start - 1)]!;
      if ((k & TOKEN) === 0) break;
      kinds |= k;
      start--;
    }
    let i = dot + 1;
    let lastDot = dot;
    let lastKinds = 0;
    while (i < n) {
      const k = KIND[text.charCodeAt(i)]!;
      if ((k & TOKEN) === 0) break;
      if (k === 4) {
        lastDot = i;
        lastKinds = 0;
      } else {
        lastKinds |= k;
      }
      kinds |= k;
      i++;
    }
    dot = text.indexOf('.', i + 1);
    let end = i;
    while (end > start && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 45)) end--;
    if (end - start < 4) continue;
    if (start > 0 && text.charCodeAt(start - 1) === 64) continue; // domain part of an address
    if ((kinds & (1 | 8 | 16)) === 0) {
      if (isIPv4(text, start, end)) pushUnique(ips, text.slice(start, end));
    } else if ((kinds & 16) === 0 && (kinds & 1) !== 0) {
      // A host ends in an alphabetic label (the TLD); when the run was not trimmed, lastKinds tells at once.
      if (end === i && (lastKinds !== 1 || end - lastDot - 1 > MAX_TLD)) continue;
      const host = hostAt(text, start, end);
      if (host !== null) pushUnique(domains, host);
    }
  }
  if (text.indexOf('::') >= 0 || manyColons(text)) ipv6(text, ips);
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    const address = addressAt(text, at);
    if (address !== null) pushUnique(addresses, address);
  }
  let sub_code: string | null = null;
  if (text.indexOf('(') >= 0) {
    const m = SUB_CODE.exec(text);
    if (m) sub_code = m[3] !== undefined ? `AS${m[3]}` : `${m[1] ?? ''}${m[2] ?? ''}`;
  }
  return { ips, domains, addresses, sub_code };
}

/** IPv6: runs of hex digits and colons around each colon, checked with node:net's isIPv6 when they can be one. */
function ipv6(text: string, ips: string[]): void {
  const n = text.length;
  for (let colon = text.indexOf(':'); colon >= 0;) {
    let start = colon;
    while (start > 0 && isHexOrColon(text.charCodeAt(start - 1))) start--;
    let end = colon + 1;
    while (end < n && isHexOrColon(text.charCodeAt(end))) end++;
    colon = text.indexOf(':', end + 1);
    if (end - start < 3) continue;
    const before = start > 0 ? text.charCodeAt(start - 1) : 32;
    const after = end < n ? text.charCodeAt(end) : 32;
    if (KIND[before]! & (1 | 2 | 4) || KIND[after]! & (1 | 2)) continue;
    // Only `::` or exactly 7 colons can be IPv6; this keeps clock times (9:14:07) away from isIPv6.
    let colons = 0;
    let double = false;
    for (let k = start; k < end; k++) {
      if (text.charCodeAt(k) !== 58) continue;
      colons++;
      if (k + 1 < end && text.charCodeAt(k + 1) === 58) double = true;
    }
    if (!double && colons !== 7) continue;
    const candidate = text.slice(start, end);
    if (isIPv6(candidate)) pushUnique(ips, candidate.toLowerCase());
  }
}

function isHexOrColon(c: number): boolean {
  return (c >= 48 && c <= 58) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function isIPv4(text: string, start: number, end: number): boolean {
  let parts = 0;
  let value = 0;
  let digits = 0;
  for (let i = start; i <= end; i++) {
    const c = i < end ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || value > 255 || (digits > 1 && text.charCodeAt(i - digits) === 48)) return false;
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

/** Lower-cased host name, or null when the run is not one (bad label, unknown TLD, a code like 5.7.509). */
function hostAt(text: string, start: number, end: number): string | null {
  let labelStart = start;
  let labels = 0;
  for (let i = start; i <= end; i++) {
    if (i < end && text.charCodeAt(i) !== 46) continue;
    const len = i - labelStart;
    if (len === 0 || len > 63) return null;
    if (text.charCodeAt(labelStart) === 45 || text.charCodeAt(i - 1) === 45) return null;
    labels++;
    if (i === end) {
      if (len < 2 || len > MAX_TLD || labels < 2) return null;
      for (let k = labelStart; k < end; k++) if (KIND[text.charCodeAt(k)] !== 1) return null;
      const host = text.slice(start, end).toLowerCase();
      if (len !== 2 && !TLDS.has(host.slice(host.length - len))) return null;
      return host;
    }
    labelStart = i + 1;
  }
  return null;
}

function addressAt(text: string, at: number): string | null {
  let s = at;
  while (s > 0) {
    const c = text.charCodeAt(s - 1);
    if (c >= 128 || KIND[c] === 0) break;
    s--;
  }
  while (s < at && text.charCodeAt(s) === 46) s++;
  let e = at + 1;
  while (e < text.length) {
    const c = text.charCodeAt(e);
    if (c >= 128 || (KIND[c]! & (1 | 2 | 4 | 8)) === 0) break;
    e++;
  }
  while (e > at + 1 && (text.charCodeAt(e - 1) === 46 || text.charCodeAt(e - 1) === 45)) e--;
  if (s === at || e - at < 4 || text.lastIndexOf('.', e) <= at) return null;
  return text.slice(s, e).toLowerCase();
}

function pushUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

/** A full IPv6 address without `::` has 7 colons; look for 5 cheaply first. */
function manyColons(text: string): boolean {
  let count = 0;
  for (let i = text.indexOf(':'); i >= 0 && count < 5; i = text.indexOf(':', i + 1)) count++;
  return count >= 5;
}
