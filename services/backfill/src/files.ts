/** Command-line paths → the files to read: folders recursively (hidden entries skipped), sorted, de-duplicated. */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BackfillError } from './errors.js';

export interface InputFile {
  /** Absolute path: the checkpoint key. */
  path: string;
  size: number;
  mtimeMs: number;
}

async function walk(dir: string, out: InputFile[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, out);
    else if (e.isFile()) {
      const s = await stat(p);
      out.push({ path: p, size: s.size, mtimeMs: s.mtimeMs });
    }
  }
}

export async function listInputFiles(paths: readonly string[]): Promise<InputFile[]> {
  const out: InputFile[] = [];
  for (const given of paths) {
    const p = resolve(given);
    let s;
    try {
      s = await stat(p);
    } catch {
      throw new BackfillError('no_input', `${given}: no such file or folder`);
    }
    if (s.isDirectory()) await walk(p, out);
    else out.push({ path: p, size: s.size, mtimeMs: s.mtimeMs });
  }
  const seen = new Set<string>();
  const files = out.filter((f) => (seen.has(f.path) ? false : (seen.add(f.path), true)));
  if (files.length === 0) throw new BackfillError('no_input', `no files in ${paths.join(', ')}`);
  return files;
}
