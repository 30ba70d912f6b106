import { describe, expect, it } from 'vitest';
import { JsonScanner } from '@ndr/backfill';

/** Feeds `text` in pieces of `size` characters and returns the records' text and start lines. */
function scan(text: string, size: number): [string, number][] {
  const out: [string, number][] = [];
  const s = new JsonScanner((t, line) => out.push([t, line]));
  for (let i = 0; i < text.length; i += size) s.feed(text.slice(i, i + size));
  s.end();
  return out;
}

const tricky = { a: 'quote " brace } bracket ] backslash \\', b: ['x', { c: '\\"' }], d: null };

describe('JsonScanner', () => {
  it.each([1, 2, 3, 7, 1000])('splits an array into its elements whatever the chunking (%i chars)', (size) => {
    const text = `[\n  ${JSON.stringify(tricky)},\n  {"n": 2}\n]`;
    expect(scan(text, size).map(([t, l]) => [JSON.parse(t), l])).toEqual([
      [tricky, 2],
      [{ n: 2 }, 3],
    ]);
  });

  it.each([1, 5, 1000])(
    'emits the elements of Graph, Event Hubs and OData envelopes, not the envelope (%i)',
    (size) => {
      const graph = JSON.stringify({ '@odata.context': 'x', value: [{ id: 1 }, { id: 2 }], '@odata.nextLink': 'y' });
      const hubs = JSON.stringify({ records: [{ id: 3 }] });
      const odata = JSON.stringify({ d: { results: [{ id: 4 }, { id: 5 }] } });
      expect(scan(`${graph}\n${hubs}${odata}`, size).map(([t]) => JSON.parse(t))).toEqual([
        { id: 1 },
        { id: 2 },
        { id: 3 },
        { id: 4 },
        { id: 5 },
      ]);
    },
  );

  it('emits a top-level object that is not an envelope as one record, and pretty-printed ones in a row', () => {
    const text = `${JSON.stringify(tricky, null, 2)}\n${JSON.stringify({ value: 'not an array' }, null, 2)}`;
    expect(scan(text, 4).map(([t]) => JSON.parse(t))).toEqual([tricky, { value: 'not an array' }]);
  });

  it('passes scalar elements on (the caller rejects them)', () => {
    expect(scan('[1, "two", null, {"x": 3}]', 3).map(([t]) => t)).toEqual(['1', '"two"', 'null', '{"x": 3}']);
  });

  it('throws on a truncated document and on stray text', () => {
    expect(() => scan('[{"a": 1}, {"b": ', 4)).toThrow(/unexpected end of JSON/);
    expect(() => scan('[{"a": "unterminated', 4)).toThrow(/unexpected end of JSON/);
    expect(() => scan('garbage', 4)).toThrow(/outside any object or array/);
    expect(() => scan('[{"a": 1}]]', 4)).toThrow(/unexpected/);
  });
});
