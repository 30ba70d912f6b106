/**
 * Timestamps the way each upstream surface writes them (INPUT-FORMATS §1.4). All of them keep the epoch
 * millisecond's minute, so the ground truth's minute buckets do not depend on which form was chosen.
 */

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const p2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const p3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n));

/** `2026-11-20T09:14:` per minute, memoised (the hot path formats a few hundred thousand times per second). */
const minutePrefixes = new Map<number, string>();

function minutePrefix(minute: number): string {
  let s = minutePrefixes.get(minute);
  if (s === undefined) {
    const d = new Date(minute * 60_000);
    s = `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}T${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:`;
    if (minutePrefixes.size >= 50_000) minutePrefixes.clear();
    minutePrefixes.set(minute, s);
  }
  return s;
}

/** `2026-11-20T09:14:02` (UTC, no fraction, no zone). */
function isoSeconds(ms: number): string {
  const minute = Math.floor(ms / 60_000);
  return minutePrefix(minute) + p2(Math.floor(ms / 1000) - minute * 60);
}

/** PowerShell 7 ConvertTo-Json of a V2 object: `2026-11-20T09:14:02.6012277` (7 digits, no zone). `sub` = 4 extra digits. */
export function psDate(ms: number, sub: number): string {
  const s4 = sub % 10000;
  return `${isoSeconds(ms)}.${p3(((ms % 1000) + 1000) % 1000)}${p2(Math.floor(s4 / 100))}${p2(s4 % 100)}`;
}

/** Windows PowerShell 5.1 / RWS: `/Date(1795166042601)/`. */
export function msJsonDate(ms: number): string {
  return `/Date(${ms})/`;
}

/** Graph: `2026-11-20T09:14:02Z` (whole seconds). */
export function graphDate(ms: number): string {
  return `${isoSeconds(ms)}Z`;
}

/** ISO with milliseconds and Z, as in the EXO server stamp `2026-11-20T09:14:07.498Z`. */
export function isoMs(ms: number): string {
  return new Date(ms).toISOString();
}

/** RFC 5322 with a numeric zone, as Exchange writes it: `Fri, 20 Nov 2026 09:14:07 +0000`. */
export function rfc5322(ms: number, zone: '+0000' | 'GMT' = '+0000'): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${zone}`;
}

/** `LRT=` / en-US form: `11/20/2026 9:14:07 AM`. */
export function usDate(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h12}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** `20261120091401` for app-made Message-IDs. */
export function compactDate(ms: number): string {
  const minute = Math.floor(ms / 60_000);
  const p = minutePrefix(minute);
  return `${p.slice(0, 4)}${p.slice(5, 7)}${p.slice(8, 10)}${p.slice(11, 13)}${p.slice(14, 16)}${p2(Math.floor(ms / 1000) - minute * 60)}`;
}

/** The minute bucket of an event time, as the ISO string used in the ground truth: `2026-11-20T09:14:00Z`. */
export function minuteKey(ms: number): string {
  return `${isoSeconds(Math.floor(ms / 60_000) * 60_000).slice(0, 16)}:00Z`;
}
