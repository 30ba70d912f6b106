#!/usr/bin/env node
// Thin launcher so npm can link `ndr` before the TypeScript build has run.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('ndr: not built yet. Run `npm run build` (or `npm start` / `npm test`, which build first).\n');
  process.exit(1);
}
await import(main.href);
