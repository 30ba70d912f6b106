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
  if (ADDRESS_TYPE.test(s)) s = s.replace(ADDRESS_TYPE, '');
  if (s.startsWith('<') && s.endsWith('>')) s = s.slice(1, -1).trim();
  return s.toLowerCase();
}

/** The part after the last `@` of a normalised address ('' when there is none). */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1);
}

/** Zod field for a recipient: a non-blank string. */
export const recipientField = z.string().regex(/\S/, 'expected a non-empty address');

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
