/**
 * The decision: from a raw string to one catalogue entry. Order (the README has the long form):
 *  1. find the enhanced code (fast scan; garbled words/roman numerals only when that finds nothing; the
 *     `statusCode` hint when the text has no code in a reply position) and the basic reply code;
 *  2. entries for that code (exact, then ranges, then RFC 3463 `x.s.d`) whose phrase is in the text
 *     → `code_and_phrase`;
 *  3. a code-less entry (phrases only) whose phrase is in the text and whose class agrees → `phrase`;
 *  4. the code's default meaning → `exact_code` / `range` (a generic X.s.0 meaning yields to a phrase);
 *  5. any entry whose phrase is in the text and whose class agrees → `phrase`;
 *  6. RFC 3463 X.s.0 then X.0.0 → `class_fallback`. Without an enhanced code: phrase, then the RFC 5321 reply
 *     → `reply_fallback`, then X.0.0 for the reply's class. Nothing → entry null, `none`.
 *
 * Class comes from the code's class digit when there is one (the entry's class otherwise). Reply and enhanced
 * class disagreeing (`550 4.4.7`): the basic reply wins, because it is what SMTP clients act on (RFC 5321 §4.2)
 * and the sending MTA has already given up or will retry according to it. The entry is still looked up with
 * the code as written (then with the reply's class), and the result is marked `exact: false`.
 */
import { scanCodes, scanCodesIn, type CodeHit } from '../text/scan-codes.js';
import { scanGarbledIn } from '../text/garbled.js';
import { extractEntitiesIn } from '../text/entities.js';
import { createTextView } from '../text/text-view.js';
import type { Classification, ClassifyHints, Entities, MatchedBy, ResultClass } from '../types.js';
import { codeKey, type RangeRow, type Tables } from './tables.js';
import { createPhraseHits } from './phrase-hits.js';
import type { PhraseGroup } from './phrase-group.js';

/** Only the first 16 KiB (UTF-16 code units) of an input are looked at; diagnostics are far shorter. */
export const MAX_SCAN_CHARS = 16 * 1024;
const MAX_HINT_CHARS = 256;

export type ClassifyFn = (input: string, hints?: ClassifyHints) => Classification;

export function createClassify(t: Tables): ClassifyFn {
  // The one pass over the text (copy, marks, phrase filter) fills this view; every scanner reads it.
  const view = createTextView(MAX_SCAN_CHARS);
  const hits = createPhraseHits(t, view);
  const { has, len, scanAll, scanCandidates, bestPhrase } = hits;
  const longer = (e: number, than: number): boolean => than < 0 || len(e) > len(than);
  // A garbled code can have a detail ≥ 1000 (`five.one.1000`): those keep the Map's `codeKey` lookup, collisions
  // included, so the answer is the same as it always was.
  const exactAt = (cls: number, s: number, d: number): readonly number[] | undefined =>
    d < 1000 && s < 1000 ? t.exactAt[cls * 1000 + s]?.[d] : t.exact.get(codeKey(cls, s, d));

  function result(
    e: number,
    code: string | null,
    reply: string | null,
    cls: ResultClass | null,
    by: MatchedBy,
    exact: boolean,
    entities: Entities,
  ): Classification {
    const ce = t.entries[e];
    if (ce === undefined) return nothing(code, reply, cls ?? 'unknown', entities);
    // RFC 3463/5321 entries are class-independent: under a 2.x.x code their reason cannot be a failure.
    const success = cls === 'success' && ce.classIndependent;
    return {
      entry: ce.id,
      code,
      reply,
      class: cls ?? ce.cls,
      category: success ? 'success' : ce.category,
      reason: success ? 'delivered' : ce.reason,
      alert_tags: ce.alertTags,
      matched_by: by,
      exact,
      entities,
    };
  }

  function defaultOf(list: readonly number[] | undefined): number {
    const first = list?.[0];
    return first !== undefined && !t.entries[first]?.requiresPhrase ? first : -1;
  }

  /**
   * Everything `fromCode` looks up for a code that does not depend on the text: the entries and ranges of the
   * code (as written, else with the reply's class, else RFC 3463 `x.s.d`), its default meanings, its fallback and
   * its phrase group. Built on first use per (code, reply class) and kept (at most MAX_CODE_INFOS), like the
   * phrase groups; the text-dependent part of the decision runs on every call.
   */
  function buildCodeInfo(seen: number, eff: number, s: number, d: number): CodeInfo {
    let level = seen;
    let exactList = exactAt(seen, s, d);
    let rangeRows = rangesFor(t, seen, s, d);
    if (exactList === undefined && rangeRows.length === 0 && eff !== seen) {
      level = eff;
      exactList = exactAt(eff, s, d);
      rangeRows = rangesFor(t, eff, s, d);
    }
    if (exactList === undefined && rangeRows.length === 0) {
      level = 0;
      exactList = exactAt(0, s, d);
      rangeRows = rangesFor(t, 0, s, d);
    }
    const found = exactList !== undefined || rangeRows.length > 0;
    const def = defaultOf(exactList);
    let rangeDefault = -1;
    for (const row of rangeRows) {
      if (!t.entries[row.entry]?.requiresPhrase) {
        rangeDefault = row.entry;
        break;
      }
    }
    let fallback = defaultOf(exactAt(0, s, 0));
    if (fallback < 0) fallback = defaultOf(exactAt(0, 0, 0));
    return {
      code: `${seen}.${s}.${d}`,
      exactList: exactList ?? EMPTY_LIST,
      rangeRows,
      scan: found || t.anyCodeless,
      group: found || t.anyCodeless ? hits.groupFor(level, s, d, exactList, rangeRows) : null,
      def,
      defGeneric: def >= 0 && t.entries[def]?.generic === true,
      rangeDefault,
      fallback,
    };
  }

  // By `(seen * 8 + eff) * 1000 + subject`, then detail (eff 0 when the reply agrees with the code).
  const codeInfos: Array<Array<CodeInfo | undefined> | undefined> = [];
  let nCodeInfos = 0;
  function codeInfo(seen: number, eff: number, s: number, d: number): CodeInfo {
    if (s >= 1000 || d >= 1000) return buildCodeInfo(seen, eff, s, d);
    const outer = (seen * 8 + (eff === seen ? 0 : eff)) * 1000 + s;
    let inner = codeInfos[outer];
    let info = inner?.[d];
    if (info !== undefined) return info;
    info = buildCodeInfo(seen, eff, s, d);
    if (nCodeInfos < MAX_CODE_INFOS) {
      if (inner === undefined) {
        while (codeInfos.length <= outer) codeInfos.push(undefined);
        inner = codeInfos[outer] = new Array<CodeInfo | undefined>(1000).fill(undefined);
      }
      inner[d] = info;
      nCodeInfos++;
    }
    return info;
  }

  /**
   * Another code of the same text whose own entry is confirmed by a phrase (`550 5.7.350 Remote server returned
   * message detected as spam -> 554 5.7.1 …`): code plus phrase beats the chosen code's bare default meaning.
   */
  function fromOtherCode(
    others: readonly CodeHit[] | null,
    cls: ResultClass,
    entities: Entities,
  ): Classification | null {
    if (others === null) return null;
    for (const o of others) {
      if (classOfDigit(o.cls) !== cls) continue;
      const list = exactAt(o.cls, o.subject, o.detail);
      const rows = rangesFor(t, o.cls, o.subject, o.detail);
      if (list === undefined && rows.length === 0) continue;
      scanCandidates(o.cls, o.subject, o.detail, list, rows);
      let best = -1;
      for (const e of list ?? EMPTY_LIST) if (has(e) && longer(e, best)) best = e;
      for (const r of rows) if (has(r.entry) && longer(r.entry, best)) best = r.entry;
      if (best >= 0)
        return result(best, `${o.cls}.${o.subject}.${o.detail}`, o.reply, cls, 'code_and_phrase', true, entities);
    }
    return null;
  }

  function fromCode(
    hit: CodeHit,
    others: readonly CodeHit[] | null,
    reply: string | null,
    entities: Entities,
  ): Classification {
    const { cls: seen, subject: s, detail: d } = hit;
    const replyDigit = hit.reply === null ? 0 : hit.reply.charCodeAt(0) - 48;
    const disagree = (replyDigit === 2 || replyDigit === 4 || replyDigit === 5) && replyDigit !== seen;
    const eff = disagree ? replyDigit : seen;
    const exact = !disagree;
    const cls = classOfDigit(eff);
    // The code as written, then with the reply's class, then the RFC 3463 `x.s.d` form.
    const info = codeInfo(seen, eff, s, d);
    const { code, exactList, rangeRows } = info;
    if (info.scan) hits.scanGroup(info.group);
    else hits.reset();
    // 2. the code's own entries, chosen by phrase.
    let best = -1;
    for (let i = 0; i < exactList.length; i++) {
      const e = exactList[i] as number;
      if (has(e) && longer(e, best)) best = e;
    }
    for (let i = 0; i < rangeRows.length; i++) {
      const e = (rangeRows[i] as RangeRow).entry;
      if (has(e) && longer(e, best)) best = e;
    }
    if (best >= 0) return result(best, code, reply, cls, 'code_and_phrase', exact, entities);
    // 3. code-less entries that only phrases find.
    if (hits.any()) {
      const p = bestPhrase(eff, true);
      if (p >= 0) return result(p, code, reply, cls, 'phrase', exact, entities);
    }
    // 4. the default meaning of the code; a generic one (X.s.0) yields to any phrase of the right class.
    const def = info.def;
    if (def >= 0) {
      if (info.defGeneric) {
        scanAll();
        const p = bestPhrase(eff, false);
        if (p >= 0) return result(p, code, reply, cls, 'phrase', exact, entities);
      }
      return fromOtherCode(others, cls, entities) ?? result(def, code, reply, cls, 'exact_code', exact, entities);
    }
    if (info.rangeDefault >= 0) {
      return (
        fromOtherCode(others, cls, entities) ?? result(info.rangeDefault, code, reply, cls, 'range', exact, entities)
      );
    }
    // 5. any phrase of the right class.
    scanAll();
    if (hits.any()) {
      const p = bestPhrase(eff, false);
      if (p >= 0) return result(p, code, reply, cls, 'phrase', exact, entities);
    }
    // 6. RFC 3463 class fallback.
    const fb = info.fallback;
    if (fb >= 0) return result(fb, code, reply, cls, 'class_fallback', false, entities);
    return nothing(code, reply, cls, entities);
  }

  function fromReply(reply: string, entities: Entities): Classification {
    const digit = reply.charCodeAt(0) - 48;
    const cls = classOfDigit(digit);
    scanAll();
    if (hits.any()) {
      const p = bestPhrase(digit, false);
      if (p >= 0) return result(p, null, reply, cls, 'phrase', true, entities);
    }
    const def = defaultOf(t.replies.get(Number(reply)));
    if (def >= 0) return result(def, null, reply, cls, 'reply_fallback', false, entities);
    const fb = cls === 'unknown' ? -1 : defaultOf(exactAt(0, 0, 0));
    if (fb >= 0) return result(fb, null, reply, cls, 'class_fallback', false, entities);
    return nothing(null, reply, cls, entities);
  }

  function classifyUnsafe(input: unknown, hints: ClassifyHints | undefined): Classification {
    const raw = typeof input === 'string' ? input : input == null ? '' : String(input);
    const text = raw.length > MAX_SCAN_CHARS ? raw.slice(0, MAX_SCAN_CHARS) : raw;
    t.phrases.load(view, text);
    const scan = scanCodesIn(view);
    let hit = scan.code;
    let others = scan.others;
    let reply = scan.reply;
    if (hit === null && view.nDots > 0) {
      hit = scanGarbledIn(view);
      if (hit?.reply) reply = hit.reply;
    }
    const hint = hints?.statusCode;
    if (typeof hint === 'string' && hint.length > 0) {
      const h = scanCodes(hint.length > MAX_HINT_CHARS ? hint.slice(0, MAX_HINT_CHARS) : hint);
      // A hint beats a bare code in the text, never a code inside a reply or diagnostic.
      if (h.code !== null && (hit === null || hit.rank <= 1)) {
        hit = h.code;
        others = null;
        if (h.reply !== null) reply = h.reply;
      }
      if (reply === null) reply = h.reply;
    }
    const entities = extractEntitiesIn(view);
    if (hit !== null) return fromCode(hit, others, reply, entities);
    if (reply !== null) return fromReply(reply, entities);
    scanAll();
    if (hits.any()) {
      const p = bestPhrase(0, false);
      if (p >= 0) return result(p, null, null, null, 'phrase', true, entities);
    }
    return nothing(null, null, 'unknown', entities);
  }

  return function classify(input: string, hints?: ClassifyHints): Classification {
    try {
      return classifyUnsafe(input, hints);
    } catch {
      // Defensive: no input may throw out of the hot path. Nothing above is expected to get here.
      return nothing(null, null, 'unknown', { ips: [], domains: [], addresses: [], sub_code: null });
    }
  };
}

export function classOfDigit(d: number): ResultClass {
  return d === 5 ? 'permanent' : d === 4 ? 'transient' : d === 2 ? 'success' : 'unknown';
}

const EMPTY_LIST: readonly number[] = [];
/** Code infos kept per classifier (the codes of real traffic are a few hundred). */
const MAX_CODE_INFOS = 100_000;

interface CodeInfo {
  /** The code as written, `5.7.509`. */
  readonly code: string;
  /** The code's own entries (default first) and ranges (narrowest first), at the first level that has any. */
  readonly exactList: readonly number[];
  readonly rangeRows: readonly RangeRow[];
  /** Whether phrases are scanned for this code at all, and the group they come from. */
  readonly scan: boolean;
  readonly group: PhraseGroup | null;
  /** The default meaning (an exact entry without `requires_phrase`), -1 if none; whether it is generic. */
  readonly def: number;
  readonly defGeneric: boolean;
  /** The narrowest range entry without `requires_phrase`, -1 if none. */
  readonly rangeDefault: number;
  /** RFC 3463 `X.s.0`, else `X.0.0`; -1 if neither. */
  readonly fallback: number;
}

function rangesFor(t: Tables, cls: number, s: number, d: number): readonly RangeRow[] {
  const rows = t.rangesAt[cls * 1000 + s];
  if (rows === undefined) return EMPTY;
  let out: RangeRow[] | undefined;
  for (const r of rows) {
    if (d >= r.from && d <= r.to) (out ??= []).push(r);
  }
  return out ?? EMPTY;
}
const EMPTY: readonly RangeRow[] = [];

function nothing(code: string | null, reply: string | null, cls: ResultClass, entities: Entities): Classification {
  return {
    entry: null,
    code,
    reply,
    class: cls,
    category: 'other',
    reason: 'other',
    alert_tags: [],
    matched_by: 'none',
    exact: false,
    entities,
  };
}
