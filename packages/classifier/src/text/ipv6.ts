/**
 * IPv6 addresses for entities.ts: runs of hex digits and colons around each recorded `:`, checked with
 * node:net's `isIPv6` when they can be one (a `::` or exactly 7 colons, so clock times like 9:14:07 never are).
 * Lower-cased, appended to `ips` after the IPv4 addresses, without duplicates.
 */
import { isIPv6 } from 'node:net';
import type { TextView } from './text-view.js';

export function findIPv6(view: TextView, ips: string[]): void {
  const { text, u16, n, colons, nColons } = view;
  for (let k = 0, from = 0; k < nColons; k++) {
    const colon = colons[k] as number;
    if (colon < from) continue;
    let start = colon;
    while (start > 0 && isHexOrColon(u16[start - 1] as number)) start--;
    let end = colon + 1;
    while (end < n && isHexOrColon(u16[end] as number)) end++;
    from = end + 1;
    if (end - start < 3) continue;
    // Not glued to a word or a dotted name.
    if (start > 0 && (isAlnum(u16[start - 1] as number) || u16[start - 1] === 46)) continue;
    if (end < n && isAlnum(u16[end] as number)) continue;
    let count = 0;
    let double = false;
    for (let j = start; j < end; j++) {
      if (u16[j] !== 58) continue;
      count++;
      if (j + 1 < end && u16[j + 1] === 58) double = true;
    }
    if (!double && count !== 7) continue;
    const candidate = text.slice(start, end);
    if (!isIPv6(candidate)) continue;
    const ip = candidate.toLowerCase();
    if (!ips.includes(ip)) ips.push(ip);
  }
}

function isHexOrColon(c: number): boolean {
  return (c >= 48 && c <= 58) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
