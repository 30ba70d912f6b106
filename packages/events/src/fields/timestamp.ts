/**
 * Timestamps as the upstream surfaces write them (INPUT-FORMATS §1.4), parsed to UTC epoch ms.
 *
 * Accepted forms (all read as UTC unless they carry an explicit offset):
 * - ISO-8601: `2026-11-20T09:14:02Z`, `2026-11-20T09:14:02.6012277` (zone-less = UTC, as every
 *   message-trace time is UTC), `…+01:00`; a space instead of `T` is tolerated; fraction truncated to ms.
 * - Microsoft JSON dates: `/Date(1795166042601)/` (RWS, Windows PowerShell 5.1; the JSON escape
 *   `\/` is already gone after JSON.parse); an offset suffix `/Date(…+0100)/` is ignored, the number is UTC.
 * - en-US `Export-Csv` / `LRT=` form with an AM/PM marker: `11/20/2026 9:14:02 AM` (month first).
 *   24-hour slash dates are rejected: they come from cultures that write the day first (`20/11/2026`).
 * - RFC 5322 dates as found in DSN headers: `Fri, 20 Nov 2026 09:14:02 +0000`, `… GMT`.
 *
 * Anything outside [2000-01-01, 2100-01-01) is rejected: .NET `DateTime.MinValue` (`0001-01-01…`) is
 * what an unset date looks like after ConvertTo-Json.
 */
import { z } from 'zod';

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|z|[+-]\d{2}:?\d{2})?$/;
const MS_JSON = /^\/Date\((-?\d{1,15})(?:[+-]\d{4})?\)\/$/;
const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2}) ?([AaPp])[Mm]$/;
const RFC5322 =
  /^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|[A-Za-z]{1,3})(?:\s*\(.*\))?$/;

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
/** RFC 5322 obsolete zone names, in minutes east of UTC. */
const ZONES: Record<string, number> = {
  z: 0,
  ut: 0,
  gmt: 0,
  utc: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
};

const MIN_MS = Date.UTC(2000, 0, 1);
const MAX_MS = Date.UTC(2100, 0, 1);

/** A JSON-Schema `pattern` that matches the accepted forms (the parser also checks the calendar). */
export const TIMESTAMP_PATTERN = [ISO, MS_JSON, US, RFC5322].map((r) => `(?:${r.source})`).join('|');

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(y: number, mo: number): number {
  if (mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) return 29;
  return DAYS_IN_MONTH[mo - 1]!;
}

/** Epoch ms for a calendar date-time, or null when a field is out of range (Feb 30, 25:00…). */
function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offsetMin: number) {
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return null;
  return Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMin * 60_000;
}

function offsetMinutes(zone: string | undefined): number | null {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  if (zone[0] === '+' || zone[0] === '-') {
    const digits = zone.slice(1).replace(':', '');
    const h = Number(digits.slice(0, 2));
    const m = Number(digits.slice(2, 4));
    if (h > 23 || m > 59) return null;
    return (zone[0] === '-' ? -1 : 1) * (h * 60 + m);
  }
  return ZONES[zone.toLowerCase()] ?? null;
}

function parseIso(m: RegExpExecArray): number | null {
  const off = offsetMinutes(m[8]);
  if (off === null) return null;
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  return utc(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!, ms, off);
}

function parseUs(m: RegExpExecArray): number | null {
  const h12 = +m[4]!;
  if (h12 < 1 || h12 > 12) return null;
  const pm = m[7] === 'P' || m[7] === 'p';
  const h = (h12 % 12) + (pm ? 12 : 0);
  return utc(+m[3]!, +m[1]!, +m[2]!, h, +m[5]!, +m[6]!, 0, 0);
}

function parseRfc5322(m: RegExpExecArray): number | null {
  const mo = MONTHS[m[2]!.toLowerCase()];
  const off = offsetMinutes(m[7]);
  if (mo === undefined || off === null) return null;
  return utc(+m[3]!, mo, +m[1]!, +m[4]!, +m[5]!, m[6] === undefined ? 0 : +m[6], 0, off);
}

/** Digit value of the char at i, or -1 when it is not an ASCII digit (what `\d` matches). */
function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

function two(s: string, i: number): number {
  const a = digit(s, i);
  const b = digit(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

/**
 * The forms every upstream surface actually sends, `yyyy-MM-ddTHH:mm:ss[.fffffff][Z]`, read by char code
 * (no regex match, no substrings). Gives exactly what the ISO regex + parseIso give for that text; null means
 * "not this simple form" (never "invalid"), and the caller then runs the regexes.
 */
function parseSimpleIso(s: string): number | null {
  const n = s.length;
  if (n < 19 || n > 30) return null;
  const y1 = two(s, 0);
  const y2 = two(s, 2);
  const mo = two(s, 5);
  const d = two(s, 8);
  const h = two(s, 11);
  const mi = two(s, 14);
  const sec = two(s, 17);
  if (y1 < 0 || y2 < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0) return null;
  const t = s.charCodeAt(10);
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || (t !== 84 && t !== 32)) return null; // - - T/space
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return null; // : :
  let end = n;
  const last = s.charCodeAt(n - 1);
  if (last === 90 || last === 122) end = n - 1; // Z z
  let ms = 0;
  if (end > 19) {
    const sep = s.charCodeAt(19);
    if ((sep !== 46 && sep !== 44) || end - 20 < 1 || end - 20 > 9) return null; // . , and 1-9 digits
    for (let i = 20; i < end; i++) {
      const v = digit(s, i);
      if (v < 0) return null;
      if (i < 23) ms += v * (i === 20 ? 100 : i === 21 ? 10 : 1);
    }
  }
  return utc(y1 * 100 + y2, mo, d, h, mi, sec, ms, 0);
}

/** Parse any accepted form to UTC epoch ms; null when the text is not one of them or is out of range. */
export function parseTimestamp(text: string): number | null {
  const fast = parseSimpleIso(text);
  if (fast !== null) return fast >= MIN_MS && fast < MAX_MS ? fast : null;
  const s = text.trim();
  let t: number | null = null;
  let m: RegExpExecArray | null;
  if ((m = ISO.exec(s))) t = parseIso(m);
  else if ((m = MS_JSON.exec(s))) t = Number(m[1]);
  else if ((m = US.exec(s))) t = parseUs(m);
  else if ((m = RFC5322.exec(s))) t = parseRfc5322(m);
  return t !== null && t >= MIN_MS && t < MAX_MS ? t : null;
}

const TIMESTAMP_MESSAGE =
  'expected a UTC timestamp: ISO-8601 (zone-less = UTC), /Date(ms)/, "M/d/yyyy h:mm:ss AM" or RFC 5322, between 2000 and 2100';

/** Zod field: one of the accepted timestamp strings in, UTC epoch ms out. */
export const timestampField = z
  .string()
  .transform((s, ctx) => {
    const t = parseTimestamp(s);
    if (t === null) {
      ctx.addIssue({ code: 'custom', message: TIMESTAMP_MESSAGE });
      return z.NEVER;
    }
    return t;
  })
  .meta({
    description: 'UTC timestamp. ' + TIMESTAMP_MESSAGE.replace('expected a UTC timestamp: ', 'Forms: '),
    pattern: TIMESTAMP_PATTERN,
  });

const pad2 = (n: number) => (n < 10 ? '0' + n : String(n));
let cachedDay = Number.NaN;
let cachedDayText = '';

/**
 * The natural-key form of a time: whole seconds, ISO with `Z` (Graph drops the fraction that V2 keeps).
 * Hand-formatted with the last day's date cached: `toISOString` was the slowest step of a detail event.
 */
export function keySecond(ms: number): string {
  const sec = Math.floor(ms / 1000);
  const day = Math.floor(sec / 86_400);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayText = new Date(day * 86_400_000).toISOString().slice(0, 10);
  }
  const t = sec - day * 86_400;
  return `${cachedDayText}T${pad2(Math.floor(t / 3600))}:${pad2(Math.floor((t % 3600) / 60))}:${pad2(t % 60)}Z`;
}
