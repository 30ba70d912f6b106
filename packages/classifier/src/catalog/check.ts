/**
 * Rules that span entries, checked after every entry parsed: ids are unique, and each code has at most one
 * default meaning (an entry without `requires_phrase`). Messages name file, entry id and field.
 */
import type { CatalogEntry } from './schema.js';

export function crossEntryProblems(entries: readonly CatalogEntry[], files: readonly string[]): string[] {
  const problems: string[] = [];
  const ids = new Map<string, number>();
  const defaults = new Map<string, number>();
  entries.forEach((e, i) => {
    const file = files[i] ?? '?';
    const seen = ids.get(e.id);
    if (seen !== undefined) {
      problems.push(`${file}: entry "${e.id}", field id: duplicate id (also in ${files[seen] ?? '?'})`);
    } else {
      ids.set(e.id, i);
    }
    if (e.match.requires_phrase) return;
    const keys = [...e.match.codes, ...e.match.ranges.map((r) => `${r.from}-${r.to}`), ...e.match.replies];
    for (const key of new Set(keys)) {
      const other = defaults.get(key);
      if (other === undefined) {
        defaults.set(key, i);
        continue;
      }
      const o = entries[other];
      problems.push(
        `${file}: entry "${e.id}", field match: ${key} already has a default meaning (entry "${o?.id ?? '?'}" in ` +
          `${files[other] ?? '?'}); set match.requires_phrase on the one that needs its text to be chosen`,
      );
    }
  });
  return problems;
}
