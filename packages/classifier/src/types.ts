/**
 * Public types of the classifier: what `classify` returns and what `explain` prints.
 */
import type { Actor, AlertTag, CatalogEntry, Category, Reason } from './catalog/schema.js';

/** A validated catalogue: every entry of every `catalog/*.json`, in file order (files sorted by name). */
export interface Catalog {
  readonly entries: readonly CatalogEntry[];
  /** Which file each entry came from (same index as `entries`); used in messages only. */
  readonly files: readonly string[];
}

export type ResultClass = 'transient' | 'permanent' | 'success' | 'unknown';

/**
 * How the entry was chosen, best first:
 * - `code_and_phrase`: the enhanced code (exact or range) and one of the entry's phrases both match.
 * - `exact_code`: the enhanced code is listed by the entry (its default meaning).
 * - `range`: the enhanced code falls inside one of the entry's ranges.
 * - `phrase`: text only (no usable code, a generic code, or a code-less entry).
 * - `class_fallback`: RFC 3463 X.s.0 or X.0.0 for an enhanced code nothing else knows.
 * - `reply_fallback`: only a basic reply code (550) was found; RFC 5321 meaning.
 * - `none`: nothing usable.
 */
export type MatchedBy =
  'exact_code' | 'range' | 'phrase' | 'code_and_phrase' | 'class_fallback' | 'reply_fallback' | 'none';

export interface Entities {
  /** IPv4 and IPv6 addresses found in the text, in order of appearance, without duplicates. */
  ips: string[];
  /** Host and domain names mentioned on their own (not the domain part of an address), lower-cased. */
  domains: string[];
  /** E-mail addresses, lower-cased, without angle brackets. */
  addresses: string[];
  /** Exchange Online sub-code such as `AS843`, `S3150`, `AS201806281` (from `AS(201806281)`), or null. */
  sub_code: string | null;
}

export interface Classification {
  /** Catalogue id (`exo.5.7.509`, `rfc3463.x.1.1`…) or null when nothing matched. */
  entry: string | null;
  /** Enhanced status code as seen (leading zeros dropped), e.g. `5.7.509`, or null. */
  code: string | null;
  /** Basic SMTP reply code (`550`) or null. */
  reply: string | null;
  class: ResultClass;
  category: Category;
  reason: Reason;
  alert_tags: readonly AlertTag[];
  matched_by: MatchedBy;
  /** False for fallbacks (class/reply fallback, none) and when the reply and enhanced class disagreed. */
  exact: boolean;
  entities: Entities;
}

export interface ClassifyHints {
  /**
   * A status the event carries beside the text, e.g. the trace's `RecipientStatus` (`550 5.7.509`) or a DSN
   * `Status:` field (`5.1.1`). Codes inside the remote server's reply in the text still win over it.
   */
  statusCode?: string;
}

export type Lang = 'en' | 'nb';

export interface Explanation {
  /** What was asked, trimmed. */
  query: string;
  /** The entry shown, or null when the code or id is unknown. */
  entry: CatalogEntry | null;
  /** How a code was resolved (`exact_code`, `range`, `class_fallback`…); `id` when asked by id. */
  resolved_by: MatchedBy | 'id';
  /**
   * As `classify` reports them for this code: the class from the code's (or reply's) class digit, so `4.7.1`
   * is transient even though its RFC 3463 meaning speaks for every class; the entry's own when asked by id.
   */
  class: ResultClass;
  category: Category;
  reason: Reason;
  lang: Lang;
  /** Title in the requested language (English when `nb` is missing). */
  title: string;
  /** Norwegian explanatory text when lang is nb and the entry has it. */
  text: string | null;
  cause: string;
  fix: string;
  who_acts: readonly Actor[];
  /** True when nb was asked but the entry has no Norwegian title or text, so English is shown. */
  fell_back_to_en: boolean;
  /** Other meanings of the same code that need a phrase to be chosen (e.g. 5.7.1 "unable to relay"). */
  alternatives: ReadonlyArray<{ id: string; title: string; phrases: readonly string[] }>;
}

export interface Classifier {
  classify(input: string, hints?: ClassifyHints): Classification;
  explain(codeOrId: string, lang?: Lang): Explanation;
}
