/** classify never throws and bounds its work, whatever it is given. */
import { describe, expect, it } from 'vitest';
import { MAX_SCAN_CHARS } from '../src/index.js';
import { fixtureClassifier, realClassifier } from './helpers.js';

const unclassified = { entry: null, class: 'unknown', reason: 'other', matched_by: 'none', exact: false };

describe.each([
  ['fixture catalogue', fixtureClassifier],
  ['shipped catalogue', realClassifier],
])('malformed input (%s)', (_name, make) => {
  const c = make();
  it.each([
    ['empty', ''],
    ['whitespace', ' \t\r\n \u00a0 '],
    ['binary garbage', '\u0000\u0001\u0002\uffff\ud800\udfff\ud800 \u001b[31m'],
    ['9.9.9', '9.9.9'],
    ['5.999.9999', '5.999.9999'],
    ['only punctuation', '[{;}];{LED=};{MSG=}'],
    ['3xx reply', '354 Start mail input'],
  ])('%s → unclassified, no exception', (_label, input) => {
    expect(c.classify(input)).toMatchObject(unclassified);
  });

  it('treats non-string input as text instead of throwing', () => {
    for (const input of [undefined, null, 42, {}, []] as unknown[]) {
      expect(() => c.classify(input as string)).not.toThrow();
    }
    expect(c.classify(550 as unknown as string)).toMatchObject({ reply: '550', class: 'permanent' });
  });

  it('handles a 1 MB string quickly and only looks at the first MAX_SCAN_CHARS', () => {
    const filler = 'x'.repeat(1024 * 1024);
    const start = performance.now();
    const r = c.classify(filler + ' 550 5.7.509 does not pass DMARC verification');
    expect(performance.now() - start).toBeLessThan(200);
    expect(r).toMatchObject(unclassified);
    const early = c.classify('550 5.7.509 does not pass DMARC verification ' + filler);
    expect(early.code).toBe('5.7.509');
    expect(MAX_SCAN_CHARS).toBe(16 * 1024);
  });

  it('survives pathological repetitions', () => {
    const inputs = [
      '5.'.repeat(200_000),
      '550 '.repeat(100_000),
      '1.1.1.1.'.repeat(50_000),
      'a@'.repeat(100_000),
      ':'.repeat(100_000),
      'five.seven.'.repeat(50_000),
      '(AS'.repeat(100_000),
      '\n'.repeat(100_000),
    ];
    for (const input of inputs) {
      const start = performance.now();
      expect(() => c.classify(input)).not.toThrow();
      expect(performance.now() - start).toBeLessThan(500);
    }
  });

  it('classifies unknown but well-formed codes by class fallback', () => {
    expect(c.classify('550 5.999.999 odd')).toMatchObject({
      code: '5.999.999',
      class: 'permanent',
      matched_by: 'class_fallback',
      exact: false,
    });
    expect(c.classify('4.9.9 odd')).toMatchObject({ class: 'transient', matched_by: 'class_fallback' });
  });
});
