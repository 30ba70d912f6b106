/**
 * Everything the classifier looks up, built once from a validated catalogue: code → entries (numeric keys,
 * class digit 0 standing for `x`), range tables per class.subject (narrowest first), reply → entries, and one
 * phrase matcher for all phrases with phrase → entry and phrase length.
 */
import type { AlertTag, CatalogEntry, Category, Reason } from '../catalog/schema.js';
import type { Catalog, ResultClass } from '../types.js';
import { foldPhrase } from './phrase-alphabet.js';
import { createPhraseMatcher, type PhraseMatcher } from './phrase-matcher.js';

export interface RangeRow {
  from: number;
  to: number;
  entry: number;
}

export interface CompiledEntry {
  readonly entry: CatalogEntry;
  readonly index: number;
  /**
   * What a result reads from the entry, copied into this one object shape (the parsed entries come in more than
   * one shape, so reading them in the hot path costs polymorphic loads).
   */
  readonly id: string;
  readonly cls: ResultClass;
  readonly category: Category;
  readonly reason: Reason;
  /** An RFC 3463/5321 entry of a failure class: under a 2.x.x code it reports `delivered` / `success`. */
  readonly classIndependent: boolean;
  readonly requiresPhrase: boolean;
  readonly alertTags: readonly AlertTag[];
  /** Class digits this entry speaks for (2, 4, 5; 0 for `x`). */
  readonly classDigits: ReadonlySet<number>;
  /** No codes, ranges or replies: found by phrases only (e.g. `exo.submission_quota_exceeded`). */
  readonly codeless: boolean;
  /** An "other or undefined" meaning (RFC 3463 X.s.0 / X.0.0, RFC 5321 replies): a phrase may say more. */
  readonly generic: boolean;
  /** 0 for exchange_online, 1 for rfc3463, 2 for rfc5321: the tie-breaker between equal phrase hits. */
  readonly sourceRank: number;
}

export interface Tables {
  readonly entries: readonly CompiledEntry[];
  /** Code key → entries listing the code; entries without `requires_phrase` first. */
  readonly exact: ReadonlyMap<number, readonly number[]>;
  /** Class.subject key (class*1000+subject) → ranges, narrowest first. */
  readonly ranges: ReadonlyMap<number, readonly RangeRow[]>;
  readonly replies: ReadonlyMap<number, readonly number[]>;
  /** `exact` without hashing, for the hot path: `exactAt[cls * 1000 + subject]?.[detail]`. */
  readonly exactAt: ReadonlyArray<ReadonlyArray<readonly number[] | undefined> | undefined>;
  /** `ranges` by `cls * 1000 + subject`. */
  readonly rangesAt: ReadonlyArray<readonly RangeRow[] | undefined>;
  readonly phrases: PhraseMatcher;
  readonly phraseEntry: Int32Array;
  readonly phraseLength: Int32Array;
  readonly byId: ReadonlyMap<string, number>;
  readonly anyCodeless: boolean;
}

export function codeKey(cls: number, subject: number, detail: number): number {
  return cls * 1_000_000 + subject * 1000 + detail;
}

function parseCode(code: string): [number, number, number] {
  const [c, s, d] = code.split('.');
  return [c === 'x' ? 0 : Number(c), Number(s), Number(d)];
}

const CLASS_DIGIT = { permanent: 5, transient: 4, success: 2 } as const;
const SOURCE_RANK = { exchange_online: 0, rfc3463: 1, rfc5321: 2 } as const;

export function buildTables(catalog: Catalog): Tables {
  const exact = new Map<number, number[]>();
  const ranges = new Map<number, RangeRow[]>();
  const replies = new Map<number, number[]>();
  const phraseList: string[] = [];
  const phraseEntryList: number[] = [];
  const byId = new Map<string, number>();
  const add = <K>(map: Map<K, number[]>, key: K, i: number) => {
    const list = map.get(key) ?? [];
    if (!list.includes(i)) list.push(i);
    map.set(key, list);
  };

  const entries: CompiledEntry[] = catalog.entries.map((entry, index) => {
    const m = entry.match;
    byId.set(entry.id, index);
    const classDigits = new Set<number>();
    for (const code of m.codes) {
      const [c, s, d] = parseCode(code);
      classDigits.add(c);
      add(exact, codeKey(c, s, d), index);
    }
    for (const r of m.ranges) {
      const [c, s, from] = parseCode(r.from);
      const to = parseCode(r.to)[2];
      classDigits.add(c);
      const key = c * 1000 + s;
      const rows = ranges.get(key) ?? [];
      rows.push({ from, to, entry: index });
      ranges.set(key, rows);
    }
    for (const reply of m.replies) add(replies, Number(reply), index);
    for (const p of [...m.phrases, ...m.phrases_nb]) {
      if (foldPhrase(p).length === 0) continue;
      phraseList.push(p);
      phraseEntryList.push(index);
    }
    const codeless = m.codes.length + m.ranges.length + m.replies.length === 0;
    if (classDigits.size === 0) classDigits.add(CLASS_DIGIT[entry.class]);
    const generic =
      entry.source === 'rfc5321' ||
      (entry.source === 'rfc3463' && m.codes.length > 0 && m.codes.every((c) => c.endsWith('.0')));
    return Object.freeze({
      entry,
      index,
      id: entry.id,
      cls: entry.class,
      category: entry.category,
      reason: entry.reason,
      classIndependent: entry.source !== 'exchange_online' && entry.class !== 'success',
      requiresPhrase: m.requires_phrase,
      alertTags: Object.freeze([...entry.alert_tags]),
      classDigits,
      codeless,
      generic,
      sourceRank: SOURCE_RANK[entry.source],
    });
  });

  // Defaults first, so exact[key][0] is the default meaning when the code has one.
  for (const list of exact.values()) list.sort((a, b) => requiresPhrase(entries, a) - requiresPhrase(entries, b));
  for (const list of replies.values()) list.sort((a, b) => requiresPhrase(entries, a) - requiresPhrase(entries, b));
  for (const rows of ranges.values()) rows.sort((a, b) => a.to - a.from - (b.to - b.from) || a.entry - b.entry);

  const phraseLength = Int32Array.from(phraseList.map((p) => foldPhrase(p).length));
  return {
    entries,
    exact,
    ranges,
    replies,
    exactAt: byCode(exact),
    rangesAt: Array.from({ length: 10_000 }, (_, key) => ranges.get(key)),
    phrases: createPhraseMatcher(phraseList),
    phraseEntry: Int32Array.from(phraseEntryList),
    phraseLength,
    byId,
    anyCodeless: entries.some((e) => e.codeless),
  };
}

/**
 * A map keyed by `codeKey` as dense arrays: outer index `cls * 1000 + subject` (classes 0–9), inner index
 * detail. Filled with undefined rather than left with holes, so V8 keeps them as fast arrays.
 */
export function byCode<T>(map: ReadonlyMap<number, T>): Array<Array<T | undefined> | undefined> {
  const outer: Array<Array<T | undefined> | undefined> = new Array(10_000).fill(undefined);
  for (const [key, value] of map) {
    (outer[Math.floor(key / 1000)] ??= new Array<T | undefined>(1000).fill(undefined))[key % 1000] = value;
  }
  return outer;
}

function requiresPhrase(entries: readonly CompiledEntry[], i: number): number {
  return entries[i]?.requiresPhrase ? 1 : 0;
}
