import { describe, expect, it } from 'vitest';
import { fixtureClassifier, realClassifier } from './helpers.js';

describe('explain', () => {
  const c = fixtureClassifier();
  it('explains a code with its default meaning and lists the alternatives', () => {
    const x = c.explain('5.7.1');
    expect(x.entry?.id).toBe('exo.5.7.1');
    expect(x.resolved_by).toBe('exact_code');
    expect(x.alternatives.map((a) => a.id)).toEqual([
      'exo.5.7.1.unable_to_relay',
      'exo.5.7.1.client_not_authenticated',
    ]);
  });
  it('explains by id, including text-disambiguated meanings', () => {
    const x = c.explain('exo.5.7.1.unable_to_relay');
    expect(x).toMatchObject({ resolved_by: 'id', title: 'Unable to relay' });
  });
  it('prints Norwegian where the catalogue has it and says when it falls back', () => {
    expect(c.explain('5.7.509', 'nb')).toMatchObject({
      title: 'Avsenderdomenet består ikke DMARC',
      fell_back_to_en: false,
    });
    expect(c.explain('5.7.509', 'nb').text).toContain('DMARC');
    expect(c.explain('5.7.606', 'nb')).toMatchObject({ title: 'Banned sending IP', fell_back_to_en: true });
  });
  it('resolves ranges, RFC fallbacks and replies', () => {
    expect(c.explain('5.7.630').entry?.id).toBe('exo.5.7.606-649');
    expect(c.explain('4.1.1').entry?.id).toBe('rfc3463.x.1.1');
    expect(c.explain('5.1.77')).toMatchObject({ resolved_by: 'class_fallback' });
    expect(c.explain('550').entry?.id).toBe('rfc5321.550');
  });
  it('reports the class of the code asked about, as classify does', () => {
    expect(c.explain('4.1.1')).toMatchObject({ class: 'transient', reason: c.classify('4.1.1').reason });
    expect(c.explain('5.1.1')).toMatchObject({ class: 'permanent' });
    expect(c.explain('2.1.5')).toMatchObject({ class: 'success', category: 'success', reason: 'delivered' });
    expect(c.explain('421')).toMatchObject({ class: 'transient' });
    const byId = c.explain('exo.5.7.1.unable_to_relay');
    expect(byId).toMatchObject({ class: byId.entry?.class, reason: byId.entry?.reason });
    for (const code of ['4.1.1', '5.7.1', '2.1.5', '4.7.630', '5.7.630']) {
      const r = c.classify(code);
      expect(c.explain(code), code).toMatchObject({ class: r.class, category: r.category, reason: r.reason });
    }
  });
  it('says so when nothing matches', () => {
    expect(c.explain('nonsense')).toMatchObject({ entry: null, resolved_by: 'none' });
  });
  it('works on the shipped catalogue for the codes in the brief', () => {
    const r = realClassifier();
    expect(r.explain('5.7.509').entry?.id).toBe('exo.5.7.509');
    expect(r.explain('exo.5.7.1.unable_to_relay').entry?.match.requires_phrase).toBe(true);
    expect(r.explain('5.7.509', 'nb').fell_back_to_en).toBe(false);
  });
});
