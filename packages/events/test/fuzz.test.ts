/**
 * Property-style checks: whatever a producer gets wrong in one field, the decoder answers with a closed
 * reason, a schema_mismatch names that field, and nothing throws.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeEvent, EXAMPLES, normalizedEventSchema, REJECT_REASONS, SHAPES } from '@ndr/events';

const BAD_VALUES: unknown[] = [
  null,
  0,
  -1,
  1.5,
  1e300,
  true,
  [],
  {},
  '',
  ' ',
  'x',
  '💥',
  'A'.repeat(10_000),
  { nested: [1, 2] },
];

describe('one bad field at a time, every shape', () => {
  for (const shape of SHAPES) {
    it(`${shape.name}: rejects with the field named or accepts a valid event, never throws`, () => {
      const example = EXAMPLES[shape.name]!;
      for (const field of Object.keys(example)) {
        for (const bad of BAD_VALUES) {
          const r = decodeEvent(shape.kind, Buffer.from(JSON.stringify({ ...example, [field]: bad })));
          if (r.ok) {
            expect(
              normalizedEventSchema.safeParse(r.event).success,
              `${field}=${JSON.stringify(bad).slice(0, 30)}`,
            ).toBe(true);
            continue;
          }
          expect(REJECT_REASONS).toContain(r.reason);
          expect(r.reason).not.toBe('internal_error');
          if (r.reason === 'schema_mismatch')
            expect(r.detail, `${field}=${JSON.stringify(bad).slice(0, 30)}`).toContain(field);
        }
      }
    });
  }
});

describe('byte-level damage', () => {
  it('never throws on 3,000 randomly corrupted valid payloads', () => {
    const payloads = SHAPES.map((s) => [s.kind, Buffer.from(JSON.stringify(EXAMPLES[s.name]))] as const);
    for (let i = 0; i < 3000; i++) {
      const [kind, original] = payloads[i % payloads.length]!;
      const damaged = Buffer.from(original);
      const noise = randomBytes(1 + (i % 4));
      for (const b of noise) damaged[b % damaged.length] = noise[0]!;
      const r = decodeEvent(kind, damaged);
      if (!r.ok) expect(REJECT_REASONS).toContain(r.reason);
      expect(r.ok || r.reason !== 'internal_error').toBe(true);
    }
  });
});
