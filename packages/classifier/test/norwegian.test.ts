/**
 * Seed 004 (Norwegian NDR table): every Norwegian phrase of the catalogue that occurs in the seed must lead,
 * with all status codes removed from the text, to an entry of that phrase's meaning.
 */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../src/index.js';
import { readSeed, realClassifier } from './helpers.js';

const seed = readSeed('004');
const catalog = loadCatalog();

/** The seed's paragraphs (blank-line separated), codes and code ranges removed, whitespace folded. */
function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) =>
      p
        .replace(/\b\d\.\d{1,3}\.\d{1,3}(?:-\d{1,3})?\b/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter((p) => p.length > 0);
}

describe.skipIf(seed === null)('Norwegian descriptions from seed 004 match by phrase', () => {
  const paras = paragraphs(seed ?? '');
  const cases = catalog.entries.flatMap((entry) =>
    entry.match.phrases_nb.flatMap((phrase) => {
      const para = paras.find((p) => p.toLowerCase().includes(phrase));
      return para === undefined ? [] : [{ entry, phrase, para }];
    }),
  );

  it('finds most catalogue phrases_nb in the seed', () => {
    const total = catalog.entries.reduce((n, e) => n + e.match.phrases_nb.length, 0);
    expect(cases.length).toBeGreaterThanOrEqual(Math.min(20, total));
  });

  for (const { entry, phrase, para } of cases) {
    it(`"${phrase}" → ${entry.id}`, () => {
      const r = realClassifier().classify(para);
      expect(r.code).toBeNull();
      expect(r.matched_by).toBe('phrase');
      // Two entries may share a Norwegian sentence (the seed repeats some); the meaning must be the same.
      if (r.entry !== entry.id)
        expect({ reason: r.reason, category: r.category }).toEqual({ reason: entry.reason, category: entry.category });
      else expect(r.entry).toBe(entry.id);
    });
  }
});
