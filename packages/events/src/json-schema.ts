/**
 * JSON Schema (draft 2020-12) for producers, generated from the zod schemas with `z.toJSONSchema`
 * in input mode (what a producer sends, before our transforms). `npm run -w @ndr/events schemas`
 * writes them to packages/events/schemas/; a unit test fails when the committed files are stale.
 */
import { z } from 'zod';
import { EXAMPLES } from './examples.js';
import { SHAPES } from './shapes.js';

export type JsonSchema = Record<string, unknown>;

/** `<shape name>.schema.json` → its JSON Schema, in registry order. */
export function jsonSchemas(): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const shape of SHAPES) {
    const generated = z.toJSONSchema(shape.schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    const { $schema, ...rest } = generated;
    out[`${shape.name}.schema.json`] = {
      $schema,
      $id: `urn:ndr:events:${shape.name}:v${shape.version}`,
      'x-topic-kind': shape.kind,
      'x-schema-version': shape.version,
      ...rest,
      examples: EXAMPLES[shape.name] === undefined ? [] : [EXAMPLES[shape.name]],
    };
  }
  return out;
}
