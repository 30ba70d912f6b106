/**
 * The table test: realistic diagnostics (Exchange Online, Gmail, Yahoo/AOL, Outlook.com, Postfix, Exim, Sendmail,
 * gateways, DSN blocks, RFC texts, seed 000 garbled codes, seed 004 Norwegian) against the shipped catalogue.
 * Expectations are what a deliverability expert would say. Rows where the catalogue's data disagrees carry
 * `catalog_disagrees`; they are asserted to still differ, so fixing the catalogue makes them fail loudly
 * with a message asking to drop the flag.
 */
import { describe, expect, it } from 'vitest';
import type { Classification } from '../src/index.js';
import { readCorpus, realClassifier, type CorpusRow } from './helpers.js';

const rows = readCorpus();

function mismatches(row: CorpusRow, r: Classification): string[] {
  const out: string[] = [];
  const check = (field: string, got: unknown, want: unknown) => {
    if (got !== want) out.push(`${field}: got ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  };
  check('code', r.code, row.code);
  check('class', r.class, row.class);
  check('reason', r.reason, row.reason);
  if (row.entry !== undefined) check('entry', r.entry, row.entry);
  if (row.reply !== undefined) check('reply', r.reply, row.reply);
  if (row.matched_by !== undefined) check('matched_by', r.matched_by, row.matched_by);
  if (row.exact !== undefined) check('exact', r.exact, row.exact);
  for (const tag of row.alert_tags ?? [])
    if (!r.alert_tags.includes(tag as never)) out.push(`alert_tags: missing ${tag}`);
  const e = row.entities ?? {};
  for (const key of ['ips', 'domains', 'addresses'] as const) {
    const want = e[key];
    if (want === undefined) continue;
    const got = r.entities[key];
    if (want.length === 0 ? got.length !== 0 : !want.every((w) => got.includes(w))) {
      out.push(`entities.${key}: got ${JSON.stringify(got)}, expected to contain ${JSON.stringify(want)}`);
    }
  }
  if (e.sub_code !== undefined) check('entities.sub_code', r.entities.sub_code, e.sub_code);
  return out;
}

const classify = (row: CorpusRow) =>
  realClassifier().classify(row.input, row.hint === undefined ? undefined : { statusCode: row.hint });

describe('diagnostics corpus (catalog/ as shipped)', () => {
  it('has at least 150 rows that assert an expert expectation', () => {
    expect(rows.filter((r) => r.catalog_disagrees === undefined).length).toBeGreaterThanOrEqual(150);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
  });

  for (const row of rows.filter((r) => r.catalog_disagrees === undefined)) {
    it(`${row.id}: ${row.input.slice(0, 70).replace(/\s+/g, ' ')}`, () => {
      expect(mismatches(row, classify(row))).toEqual([]);
    });
  }

  // Empty while the shipped catalogue agrees with every row; a row flagged later is checked here.
  const disagreeing = rows.filter((r) => r.catalog_disagrees !== undefined);
  describe.runIf(disagreeing.length > 0)('rows where the catalogue disagrees with the expert expectation', () => {
    for (const row of disagreeing) {
      it(`${row.id} still differs (${row.catalog_disagrees})`, () => {
        const diff = mismatches(row, classify(row));
        expect(
          diff.length,
          `${row.id} now classifies as expected: remove "catalog_disagrees" from test/corpus/diagnostics.jsonl`,
        ).toBeGreaterThan(0);
        // Whatever the data says, the classifier must still find the code, and the class a code or reply carries.
        const carriesClass = row.code !== null || row.reply !== undefined;
        expect(diff.filter((d) => d.startsWith('code:') || (carriesClass && d.startsWith('class:')))).toEqual([]);
      });
    }
  });
});
