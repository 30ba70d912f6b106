/**
 * The resume state: per input file (absolute path), its identity (size, mtime, a hash of the first
 * 64 KiB) and the last record number whose rows are durable. Updated after every successful flush and
 * written atomically (temporary file + rename), so a crash leaves either the old or the new state.
 * A file whose identity changed since is read again from the start.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { BackfillError } from './errors.js';
import { FORMATS } from './formats.js';

const fileStateSchema = z.object({
  size: z.number().int().nonnegative(),
  mtimeMs: z.number(),
  headHash: z.string(),
  format: z.enum(FORMATS).nullable(),
  /** Every record up to this number is durable (written, or rejected). */
  durableRows: z.number().int().nonnegative(),
  done: z.boolean(),
  failed: z.string().nullable().optional(),
  updatedAt: z.string(),
});
export type FileState = z.infer<typeof fileStateSchema>;

const stateSchema = z.object({
  version: z.literal(1),
  files: z.record(z.string(), fileStateSchema),
});

export interface FileIdentity {
  size: number;
  mtimeMs: number;
  headHash: string;
}

export const sameFile = (a: FileIdentity, b: FileIdentity): boolean =>
  a.size === b.size && a.mtimeMs === b.mtimeMs && a.headHash === b.headHash;

export class Checkpoint {
  private saving: Promise<void> = Promise.resolve();
  private dirty = false;

  private constructor(
    readonly path: string,
    private readonly files: Record<string, FileState>,
    private readonly persist: boolean,
  ) {}

  /** Loads the state file (a missing file is an empty state). `persist: false` (dry runs) starts empty and never writes. */
  static async load(path: string, persist = true): Promise<Checkpoint> {
    if (!persist) return new Checkpoint(path, {}, false);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Checkpoint(path, {}, persist);
      throw err;
    }
    let parsed;
    try {
      parsed = stateSchema.safeParse(JSON.parse(text));
    } catch {
      parsed = { success: false as const };
    }
    if (!parsed.success) {
      throw new BackfillError(
        'state_invalid',
        `${path} is not a backfill state file (or is damaged); delete it to start over, or pass --state <other file>`,
      );
    }
    return new Checkpoint(path, parsed.data.files, persist);
  }

  get(file: string): FileState | undefined {
    return this.files[file];
  }

  set(file: string, state: Omit<FileState, 'updatedAt'>): void {
    this.files[file] = { ...state, updatedAt: new Date().toISOString() };
    this.dirty = true;
  }

  /** Writes the state if it changed; saves are serialised. */
  save(): Promise<void> {
    if (!this.persist || !this.dirty) return this.saving;
    this.dirty = false;
    const text = `${JSON.stringify({ version: 1, files: this.files }, null, 1)}\n`;
    this.saving = this.saving.then(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      const tmp = `${this.path}.${process.pid}.tmp`;
      await writeFile(tmp, text);
      await rename(tmp, this.path);
    });
    return this.saving;
  }
}
