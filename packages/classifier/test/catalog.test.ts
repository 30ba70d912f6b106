/** The catalogue loader refuses invalid data with messages that name file, entry and field. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClassifierError, createClassifier, loadCatalog, parseCatalog, type Catalog } from '../src/index.js';

const entry = (over: Record<string, unknown> = {}, match: Record<string, unknown> = {}) => ({
  id: 'exo.5.7.509',
  source: 'exchange_online',
  match: { codes: ['5.7.509'], ...match },
  title: 'DMARC reject',
  cause: 'The domain failed DMARC.',
  fix: 'Fix SPF and DKIM alignment.',
  who_acts: ['sender_admin'],
  class: 'permanent',
  category: 'authentication',
  reason: 'auth_failure',
  ...over,
});
const file = (...entries: unknown[]) => ({ version: 1, entries });

function refusal(fn: () => unknown): ClassifierError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ClassifierError);
    return err as ClassifierError;
  }
  throw new Error('expected the catalogue to be refused');
}

describe('catalogue validation', () => {
  it('accepts a valid catalogue and the shipped one', () => {
    expect(parseCatalog({ 'catalog/a.json': file(entry()) }).entries).toHaveLength(1);
    expect(loadCatalog().entries.length).toBeGreaterThan(100);
  });

  it('names file, entry id and field of a bad code', () => {
    const err = refusal(() =>
      parseCatalog({ 'catalog/exchange-online.json': file(entry({}, { codes: ['5.7.5O9'] })) }),
    );
    expect(err.code).toBe('CATALOG_INVALID');
    expect(err.message).toContain('catalog/exchange-online.json');
    expect(err.message).toContain('entry "exo.5.7.509"');
    expect(err.message).toContain('match.codes[0]');
  });

  it('names the field of a value outside the vocabulary', () => {
    const err = refusal(() => parseCatalog({ 'x.json': file(entry({ id: 'exo.bad', reason: 'spam' })) }));
    expect(err.message).toMatch(/entry "exo\.bad" \(entries\[0\]\), field reason:/);
  });

  it('reports entry-level rules (requires_phrase without phrases) with the entry id', () => {
    const err = refusal(() => parseCatalog({ 'x.json': file(entry({ id: 'exo.alt' }, { requires_phrase: true })) }));
    expect(err.message).toContain('entry "exo.alt"');
    expect(err.message).toContain('requires a phrase');
  });

  it('refuses duplicate ids across files', () => {
    const err = refusal(() =>
      parseCatalog({ 'a.json': file(entry()), 'b.json': file(entry({}, { codes: ['5.7.510'] })) }),
    );
    expect(err.message).toContain('duplicate id');
    expect(err.message).toContain('a.json');
  });

  it('refuses two default meanings for one code', () => {
    const err = refusal(() => parseCatalog({ 'a.json': file(entry(), entry({ id: 'exo.5.7.509.other' })) }));
    expect(err.message).toContain('entry "exo.5.7.509.other", field match: 5.7.509 already has a default meaning');
  });

  it('lists several problems at once', () => {
    const err = refusal(() =>
      parseCatalog({ 'a.json': file(entry({ class: 'maybe' }), entry({ id: 'B', who_acts: [] })) }),
    );
    expect(err.problems.length).toBeGreaterThanOrEqual(3);
  });

  it('refuses a file that is not JSON, naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ndr-catalog-'));
    writeFileSync(join(dir, 'broken.json'), '{ "version": 1, ');
    const err = refusal(() => loadCatalog(dir));
    expect(err.code).toBe('CATALOG_UNREADABLE');
    expect(err.message).toContain('catalog/broken.json');
  });

  it('refuses a missing folder', () => {
    expect(refusal(() => loadCatalog('/nonexistent/catalog')).code).toBe('CATALOG_NOT_FOUND');
  });

  it('createClassifier validates catalogues that did not come from the loader', () => {
    const forged = { entries: [entry({ reason: 'nonsense' })], files: ['x'] } as unknown as Catalog;
    expect(() => createClassifier(forged)).toThrow(/field reason/);
    const ok = { entries: parseCatalog({ 'a.json': file(entry()) }).entries, files: ['a.json'] } as Catalog;
    expect(createClassifier(ok).classify('5.7.509').entry).toBe('exo.5.7.509');
  });
});
