/**
 * SMTP addresses: compared and aggregated lower-case (INPUT-FORMATS §5.2: join Final-Recipient to
 * RecipientAddress case-insensitively). No syntax check beyond "not blank": real data has quoted
 * local parts (`"Name<x"@domain`), null senders and IDN domains.
 */
import { z } from 'zod';

/** RFC 3464 address-type prefixes a DSN producer may leave on (`rfc822;`, `RFC822; `, `utf-8;`). */
const ADDRESS_TYPE = /^(?:rfc822|utf-8|x-[a-z0-9-]+)\s*;\s*/i;

/** Lower-cased, trimmed, without surrounding `<>` or a DSN address-type prefix. `<>` (null sender) → ''. */
export function normalizeAddress(text: string): string {
  let s = text.trim();
  // The prefix can only start with r, u or x (any case): skip the regex for the usual bare address.
  const c = s.charCodeAt(0) | 0x20;
  if (c === 0x72 || c === 0x75 || c === 0x78) {
    const m = ADDRESS_TYPE.exec(s);
    if (m !== null) s = s.slice(m[0].length);
  }
  if (s.startsWith('<') && s.endsWith('>')) s = s.slice(1, -1).trim();
  return s.toLowerCase();
}

/** The part after the last `@` of a normalised address ('' when there is none). */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1);
}

const NON_BLANK = /\S/;

/** Zod field for a recipient: a non-blank string. */
export const recipientField = z.string().regex(NON_BLANK, 'expected a non-empty address');

/** Whether recipientField accepts the value (its output is the value itself). */
export function isRecipient(value: unknown): value is string {
  return typeof value === 'string' && NON_BLANK.test(value);
}

/** RFC 3464 MTA-name types (`dns;`, `DNS; `, `x-local-hostname;`). */
const MTA_TYPE = /^[a-z][a-z0-9-]*\s*;\s*/i;

/** `dns;mx.example.com` / `DNS; MX.example.com` / `mx.example.com` → `mx.example.com`. */
export function normalizeHost(text: string): string {
  return text.trim().replace(MTA_TYPE, '').trim().toLowerCase();
}

/** The text unchanged, or null for null/undefined/blank (EXO writes both `null` and `""` for "no value"). */
export function textOrNull(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  return value.trim() === '' ? null : value;
}
