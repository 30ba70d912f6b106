/**
 * `explain(codeOrId, lang)`: what a code or catalogue id means, who acts and how to fix it, for people.
 * A code resolves like `classify` does without text: exact default, range, RFC 3463 `x.s.d`, then X.s.0 / X.0.0;
 * the other meanings of the same code (entries that need a phrase) are listed as alternatives.
 */
import { scanCodes } from './text/scan-codes.js';
import { scanGarbled } from './text/garbled.js';
import { codeKey, type Tables } from './match/tables.js';
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

  function resolve(query: string): { entry: number; by: MatchedBy | 'id'; alternatives: number[] } {
    const id = t.byId.get(query) ?? t.byId.get(query.toLowerCase());
    if (id !== undefined) return { entry: id, by: 'id', alternatives: [] };
    const scan = scanCodes(query);
    const hit = scan.code ?? scanGarbled(query);
    if (hit !== null) {
      const { cls, subject: s, detail: d } = hit;
      const steps: Array<[number[] | undefined, number, MatchedBy]> = [];
      for (const c of [cls, 0]) {
        const list = t.exact.get(codeKey(c, s, d));
        const alternatives = (list ?? []).filter((e) => t.entries[e]?.entry.match.requires_phrase);
        const e = defaultOf(list);
        if (e >= 0) return { entry: e, by: 'exact_code', alternatives };
        const r = rangeDefault(c, s, d);
        if (r >= 0) return { entry: r, by: 'range', alternatives };
        if (alternatives.length > 0) steps.push([alternatives, alternatives[0] as number, 'code_and_phrase']);
      }
      const first = steps[0];
      if (first !== undefined) return { entry: first[1], by: first[2], alternatives: first[0]?.slice(1) ?? [] };
      let fb = defaultOf(t.exact.get(codeKey(0, s, 0)));
      if (fb < 0) fb = defaultOf(t.exact.get(codeKey(0, 0, 0)));
      return { entry: fb, by: fb >= 0 ? 'class_fallback' : 'none', alternatives: [] };
    }
    if (scan.reply !== null) {
      const e = defaultOf(t.replies.get(Number(scan.reply)));
      return { entry: e, by: e >= 0 ? 'reply_fallback' : 'none', alternatives: [] };
    }
    return { entry: -1, by: 'none', alternatives: [] };
  }

  return function explain(codeOrId: string, lang: Lang = 'en'): Explanation {
    const query = String(codeOrId ?? '')
      .trim()
      .slice(0, 256);
    const { entry, by, alternatives } = resolve(query);
    const ce = t.entries[entry];
    if (ce === undefined) {
      return {
        query,
        entry: null,
        resolved_by: 'none',
        lang,
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
    return {
      query,
      entry: e,
      resolved_by: by,
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
