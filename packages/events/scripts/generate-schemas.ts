/**
 * Writes packages/events/schemas/<shape>.schema.json from the zod schemas (z.toJSONSchema).
 * Run: `npm run -w @ndr/events schemas`. Commit the output; test/json-schema.test.ts fails when it is stale.
 * Files are formatted with prettier when it is installed, so `prettier --check` stays green.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { jsonSchemas } from '../src/json-schema.js';

const dir = fileURLToPath(new URL('../schemas/', import.meta.url));

async function format(json: string): Promise<string> {
  try {
    const prettier = await import('prettier');
    return await prettier.format(json, { parser: 'json' });
  } catch {
    return json;
  }
}

mkdirSync(dir, { recursive: true });
const schemas = jsonSchemas();
for (const stale of readdirSync(dir).filter((f) => f.endsWith('.schema.json') && !(f in schemas))) {
  rmSync(dir + stale);
  process.stdout.write(`removed ${stale}\n`);
}
for (const [file, schema] of Object.entries(schemas)) {
  writeFileSync(dir + file, await format(JSON.stringify(schema, null, 2) + '\n'));
  process.stdout.write(`wrote schemas/${file}\n`);
}
