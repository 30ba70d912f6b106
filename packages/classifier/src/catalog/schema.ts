/**
 * The NDR catalogue's schema: the contract between the data in `catalog/*.json`
 * and the classifier. The classifier refuses to start on a catalogue that does not
 * parse (see `loadCatalog`).
 */
import { z } from 'zod';

/** Why a message did not get through, from a fixed vocabulary (dashboards group by it). */
export const REASONS = [
  'user_unknown',
  'mailbox_full',
  'mailbox_disabled',
  'domain_unknown',
  'relay_denied',
  'auth_failure',
  'blocked_ip',
  'blocked_sender',
  'blocked_tenant',
  'rate_limited',
  'spam_content',
  'policy_rejected',
  'tls_security',
  'expired',
  'network_error',
  'routing_loop',
  'message_too_large',
  'syntax_error',
  'system_error',
  'delivered',
  'other',
] as const;
export type Reason = (typeof REASONS)[number];

/** Tags that the alerting rules key on. */
export const ALERT_TAGS = [
  'blocked_tenant',
  'blocked_ip',
  'blocked_sender',
  'recipient_blocklist',
  'compromise_signal',
  'dmarc_failure',
  'auth_failure',
  'rate_limited',
  'tls_failure',
  'mail_loop',
] as const;
export type AlertTag = (typeof ALERT_TAGS)[number];

/** Coarse family for dashboards; finer than class, coarser than reason. */
export const CATEGORIES = [
  'recipient',
  'mailbox',
  'routing',
  'network',
  'authentication',
  'reputation',
  'policy',
  'content',
  'security',
  'throttling',
  'configuration',
  'system',
  'success',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Who must act to fix it. */
export const ACTORS = ['sender', 'sender_admin', 'recipient_admin', 'microsoft_support'] as const;
export type Actor = (typeof ACTORS)[number];

export const ENTRY_CLASSES = ['transient', 'permanent', 'success'] as const;
export type EntryClass = (typeof ENTRY_CLASSES)[number];

/** Where an entry's knowledge comes from. */
export const SOURCES = ['exchange_online', 'rfc3463', 'rfc5321'] as const;

/**
 * An enhanced status code as written in the catalogue: `d.ddd.ddd`, or with
 * the class digit replaced by `x` for RFC 3463 generic entries that apply to
 * 2.x.x, 4.x.x and 5.x.x alike (`x.1.1`).
 */
export const enhancedCode = z
  .string()
  .regex(/^([245x])\.(\d{1,3})\.(\d{1,3})$/, 'expected an enhanced status code like 5.7.509 or x.1.1');
/** A basic RFC 5321 reply code: 2xx, 3xx, 4xx, 5xx. */
export const replyCode = z.string().regex(/^[2-5]\d\d$/, 'expected a 3-digit SMTP reply code like 550');

const codeRange = z
  .object({ from: enhancedCode, to: enhancedCode })
  .strict()
  .superRefine((r, ctx) => {
    const [fc, fs, fd] = r.from.split('.');
    const [tc, ts, td] = r.to.split('.');
    if (fc !== tc || fs !== ts) {
      ctx.addIssue({ code: 'custom', message: `range ${r.from}-${r.to} must stay within one class and subject` });
    } else if (Number(fd) > Number(td)) {
      ctx.addIssue({ code: 'custom', message: `range ${r.from}-${r.to} is empty (from > to)` });
    }
  });

/** A lower-case substring looked for in the diagnostic text (after whitespace is folded). */
const phrase = z
  .string()
  .min(4)
  .refine((s) => s === s.toLowerCase(), 'phrases are lower-case (matching is case-insensitive)');

export const catalogEntrySchema = z
  .object({
    /** Stable id used in ClickHouse and alerts, e.g. `exo.5.7.509`, `exo.5.7.1.unable_to_relay`, `rfc3463.x.1.1`. */
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'ids are lower-case: letters, digits, dot, underscore, dash'),
    source: z.enum(SOURCES),
    match: z
      .object({
        /** Exact enhanced codes this entry covers. */
        codes: z.array(enhancedCode).default([]),
        /** Inclusive ranges on the detail number, e.g. 5.7.606 to 5.7.649. */
        ranges: z.array(codeRange).default([]),
        /** Basic reply codes (RFC 5321 fallbacks only). */
        replies: z.array(replyCode).default([]),
        /** English phrases that identify this entry in text (with or without a code). */
        phrases: z.array(phrase).default([]),
        /** Norwegian phrases (seed 004) that identify this entry in text. */
        phrases_nb: z.array(phrase).default([]),
        /**
         * When several entries share a code, the one(s) that need a phrase to be chosen set this;
         * the entry without it is the default meaning for that code.
         */
        requires_phrase: z.boolean().default(false),
      })
      .strict(),
    title: z.string().min(3),
    cause: z.string().min(10),
    fix: z.string().min(10),
    who_acts: z.array(z.enum(ACTORS)).min(1),
    class: z.enum(ENTRY_CLASSES),
    category: z.enum(CATEGORIES),
    reason: z.enum(REASONS),
    alert_tags: z.array(z.enum(ALERT_TAGS)).default([]),
    /** Norwegian (bokmål) title and text, from seed 004 where it has one. */
    nb: z
      .object({ title: z.string().min(3), text: z.string().optional() })
      .strict()
      .optional(),
    /** Which seed files mention this entry's codes (e.g. ["001", "004"]); documentation only. */
    seeds: z.array(z.string().regex(/^\d{3}$/)).default([]),
  })
  .strict()
  .superRefine((e, ctx) => {
    const m = e.match;
    const hasKey = m.codes.length + m.ranges.length + m.replies.length + m.phrases.length + m.phrases_nb.length;
    if (hasKey === 0) ctx.addIssue({ code: 'custom', message: `entry ${e.id} matches nothing` });
    if (m.requires_phrase && m.phrases.length + m.phrases_nb.length === 0) {
      ctx.addIssue({ code: 'custom', message: `entry ${e.id} requires a phrase but lists none` });
    }
    const classDigits = new Set([...m.codes, ...m.ranges.map((r) => r.from)].map((c) => c[0]));
    const only = (d: string) => classDigits.size === 1 && classDigits.has(d);
    if (e.class === 'permanent' && only('4')) {
      ctx.addIssue({ code: 'custom', message: `entry ${e.id} is permanent but covers only 4.x.x codes` });
    }
    if (e.class === 'transient' && only('5')) {
      ctx.addIssue({ code: 'custom', message: `entry ${e.id} is transient but covers only 5.x.x codes` });
    }
  });

export type CatalogEntry = z.infer<typeof catalogEntrySchema>;

/** One catalogue file: `{ "version": 1, "entries": [...] }`. */
export const catalogFileSchema = z
  .object({
    version: z.literal(1),
    description: z.string().optional(),
    entries: z.array(catalogEntrySchema).min(1),
  })
  .strict();
export type CatalogFile = z.infer<typeof catalogFileSchema>;
