/**
 * `explain(codeOrId, lang)`: what a code or catalogue id means, who acts and how to fix it, for people.
 * A code resolves like `classify` does without text: exact default, range, RFC 3463 `x.s.d`, then X.s.0 / X.0.0;
 * the other meanings of the same code (entries that need a phrase) are listed as alternatives.
 */
import { scanCodes } from './text/scan-codes.js';
import { scanGarbled } from './text/garbled.js';
import { codeKey, type Tables } from './match/tables.js';
import { classOfDigit } from './match/classify.js';
import type { Explanation, Lang, MatchedBy } from './types.js';

export function createExplain(t: Tables): (codeOrId: string, lang?: Lang) => Explanation {
  const defaultOf = (list: readonly number[] | undefined): number => {
    for (const e of list ?? []) if (!t.entries[e]?.entry.match.requires_phrase) return e;
    return -1;
  };
  const rangeDefault = (cls: number, s: number, d: number): number => {
    for (const r of t.ranges.get(cls * 1000 + s) ?? []) {
      if (d >= r.from && d <= r.to && !t.entries[r.entry]?.entry.match.requires_phrase) return r.entry;
    }
    return -1;
  };

  interface Resolved {
    entry: number;
    by: MatchedBy | 'id';
    alternatives: number[];
    /** Class digit of the code or reply asked about (0 when asked by id). */
    digit: number;
  }

  function resolve(query: string): Resolved {
    const id = t.byId.get(query) ?? t.byId.get(query.toLowerCase());
    if (id !== undefined) return { entry: id, by: 'id', alternatives: [], digit: 0 };
    const scan = scanCodes(query);
    const hit = scan.code ?? scanGarbled(query);
    if (hit !== null) {
      const { cls, subject: s, detail: d } = hit;
      const steps: Array<[number[] | undefined, number, MatchedBy]> = [];
      for (const c of [cls, 0]) {
        const list = t.exact.get(codeKey(c, s, d));
        const alternatives = (list ?? []).filter((e) => t.entries[e]?.entry.match.requires_phrase);
        const e = defaultOf(list);
        if (e >= 0) return { entry: e, by: 'exact_code', alternatives, digit: cls };
        const r = rangeDefault(c, s, d);
        if (r >= 0) return { entry: r, by: 'range', alternatives, digit: cls };
        if (alternatives.length > 0) steps.push([alternatives, alternatives[0] as number, 'code_and_phrase']);
      }
      const first = steps[0];
      if (first !== undefined)
        return { entry: first[1], by: first[2], alternatives: first[0]?.slice(1) ?? [], digit: cls };
      let fb = defaultOf(t.exact.get(codeKey(0, s, 0)));
      if (fb < 0) fb = defaultOf(t.exact.get(codeKey(0, 0, 0)));
      return { entry: fb, by: fb >= 0 ? 'class_fallback' : 'none', alternatives: [], digit: cls };
    }
    if (scan.reply !== null) {
      const e = defaultOf(t.replies.get(Number(scan.reply)));
      return {
        entry: e,
        by: e >= 0 ? 'reply_fallback' : 'none',
        alternatives: [],
        digit: scan.reply.charCodeAt(0) - 48,
      };
    }
    return { entry: -1, by: 'none', alternatives: [], digit: 0 };
  }

  return function explain(codeOrId: string, lang: Lang = 'en'): Explanation {
    const query = String(codeOrId ?? '')
      .trim()
      .slice(0, 256);
    const { entry, by, alternatives, digit } = resolve(query);
    const ce = t.entries[entry];
    if (ce === undefined) {
      return {
        query,
        entry: null,
        resolved_by: 'none',
        lang,
        class: 'unknown',
        category: 'other',
        reason: 'other',
        title: 'Unknown code or id',
        text: null,
        cause: `Nothing in the catalogue matches "${query}".`,
        fix: 'Check the code (d.ddd.ddd such as 5.7.509) or the id (such as exo.5.7.509).',
        who_acts: [],
        fell_back_to_en: false,
        alternatives: [],
      };
    }
    const e = ce.entry;
    const nb = lang === 'nb' ? e.nb : undefined;
    // As classify reports it: the class of the code asked about (RFC 3463 and 5321 meanings hold for every class).
    const cls = digit === 2 || digit === 4 || digit === 5 ? classOfDigit(digit) : e.class;
    const success = cls === 'success' && ce.classIndependent;
    return {
      query,
      entry: e,
      resolved_by: by,
      class: cls,
      category: success ? 'success' : e.category,
      reason: success ? 'delivered' : e.reason,
      lang,
      title: nb?.title ?? e.title,
      text: nb?.text ?? null,
      cause: e.cause,
      fix: e.fix,
      who_acts: e.who_acts,
      fell_back_to_en: lang === 'nb' && nb === undefined,
      alternatives: alternatives.flatMap((i) => {
        const a = t.entries[i]?.entry;
        return a
          ? [{ id: a.id, title: lang === 'nb' ? (a.nb?.title ?? a.title) : a.title, phrases: a.match.phrases }]
          : [];
      }),
    };
  };
}
