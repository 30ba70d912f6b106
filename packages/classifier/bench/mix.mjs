/**
 * The benchmark's input mix, shared by classify.bench.mjs and the stage/profiling scripts: every row of
 * test/corpus/diagnostics.jsonl plus 40 synthetic variants of each (different IPs, domains, addresses, server
 * stamps and ids, plus a queue-id tail), so no two strings are equal and nothing is trivially cacheable.
 * Deterministic (fixed seed), flat strings (as from JSON.parse or a line reader), shuffled.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const VARIANTS = 40;

export function readCorpus() {
  return readFileSync(fileURLToPath(new URL('../test/corpus/diagnostics.jsonl', import.meta.url)), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

export function buildMix(corpus = readCorpus()) {
  /** Deterministic pseudo-random numbers, so runs compare. */
  let seed = 42;
  const rnd = (n) => ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) >>> 8) % n; // high bits: the low ones cycle fast
  const hex = (n) => Array.from({ length: n }, () => '0123456789ABCDEF'[rnd(16)]).join('');

  const variant = (text) =>
    text
      .replace(
        /\b(203\.0\.113|198\.51\.100|192\.0\.2)\.\d{1,3}\b/g,
        () => `${[203, 198, 192][rnd(3)]}.${rnd(256)}.${rnd(256)}.${1 + rnd(254)}`,
      )
      .replace(
        /\b(contoso|fabrikam|example)\b/gi,
        () => ['contoso', 'fabrikam', 'example', 'northwind', 'tailspin', 'adatum'][rnd(6)] + rnd(1000),
      )
      .replace(/\b[0-9A-F]{16}\b/g, () => hex(16))
      .replace(
        /\b20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g,
        () => `2026-${10 + rnd(3)}-${10 + rnd(18)}T0${rnd(10)}:${10 + rnd(50)}:${10 + rnd(50)}.${100 + rnd(900)}Z`,
      )
      .replace(/\b(x|nobody|ap|bob|site\.lead)@/g, () => `user${rnd(100000)}@`);

  const mix = [];
  for (const row of corpus) {
    mix.push(row.input);
    for (let v = 0; v < VARIANTS; v++) {
      // A short queue-id style tag keeps every string distinct without changing its shape much.
      const tail = rnd(2) === 0 ? ` id=${hex(8)}` : ` [${hex(16)}]`;
      mix.push(variant(row.input) + tail);
    }
  }
  // Flat strings, as they come from JSON.parse or a line reader, in a shuffled order.
  const strings = mix.map((s) => JSON.parse(JSON.stringify(s)));
  for (let i = strings.length - 1; i > 0; i--) {
    const j = rnd(i + 1);
    [strings[i], strings[j]] = [strings[j], strings[i]];
  }
  const distinct = new Set(strings).size;
  const avgChars = strings.reduce((n, s) => n + s.length, 0) / strings.length;
  return { strings, corpus, distinct, avgChars };
}
