import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, jsonSchemas, SHAPES } from '@ndr/events';

const dir = fileURLToPath(new URL('../schemas/', import.meta.url));

describe('committed JSON Schemas', () => {
  const generated = jsonSchemas();

  it('has exactly one file per shape', () => {
    expect(
      readdirSync(dir)
        .filter((f) => f.endsWith('.schema.json'))
        .sort(),
    ).toEqual(Object.keys(generated).sort());
    expect(Object.keys(generated)).toHaveLength(SHAPES.length);
  });

  it.each(Object.keys(jsonSchemas()))(
    '%s is up to date with the zod schema (run `npm run -w @ndr/events schemas`)',
    (file) => {
      expect(JSON.parse(readFileSync(dir + file, 'utf8'))).toEqual(generated[file]);
    },
  );

  it('describes the producer input: timestamps and ids are strings with a pattern, extra fields allowed', () => {
    const v2 = generated['message-trace-v2.schema.json'] as {
      properties: Record<string, Record<string, unknown>>;
      required: string[];
      additionalProperties?: unknown;
    };
    expect(v2.properties.Received).toMatchObject({ type: 'string', pattern: expect.any(String) });
    expect(v2.properties.MessageTraceId).toMatchObject({ type: 'string', pattern: expect.any(String) });
    expect(v2.required).toEqual(expect.arrayContaining(['Received', 'RecipientAddress', 'Status', 'MessageTraceId']));
    expect(v2.additionalProperties).not.toBe(false);
  });

  it('carries one example per shape, and the patterns accept it', () => {
    for (const shape of SHAPES) {
      const schema = generated[`${shape.name}.schema.json`] as {
        examples: unknown[];
        properties: Record<string, { pattern?: string }>;
      };
      expect(schema.examples).toEqual([EXAMPLES[shape.name]]);
      for (const [field, value] of Object.entries(EXAMPLES[shape.name]!)) {
        const pattern =
          schema.properties[field]?.pattern ??
          (schema.properties[field] as { anyOf?: { pattern?: string }[] })?.anyOf?.[0]?.pattern;
        if (pattern !== undefined && typeof value === 'string')
          expect(new RegExp(pattern, 'u').test(value), `${shape.name}.${field}`).toBe(true);
      }
    }
  });
});
