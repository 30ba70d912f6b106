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
