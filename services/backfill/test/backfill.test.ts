/** The backfill loop with an in-memory writer: partition grouping, checkpoints, resume, corrupt files. */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClassifier, loadCatalog } from '@ndr/classifier';
import { batchRows, type BufferContents, type Writer } from '@ndr/writer';
import { backfillConfig, createBackfill, DAY_MS, type BackfillConfigInput } from '@ndr/backfill';
import { fixture, sample, silentLog, tempDir } from './helpers/files.js';

const classifier = createClassifier(loadCatalog());

function memoryWriter(opts: { failAfter?: number } = {}) {
  const batches: BufferContents[] = [];
  const writer: Writer = {
    async write(batch) {
      if (opts.failAfter !== undefined && batches.length >= opts.failAfter) throw new Error('ClickHouse is gone');
      batches.push(batch);
      return { events: batch.eventCount, durationMs: 0 };
    },
    async close() {},
  };
  return { writer, batches, keys: () => new Set(batches.flatMap((b) => batchRows(b).map((e) => e.natural_key))) };
}

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir()));
afterEach(() => tmp.cleanup());

function config(over: Partial<BackfillConfigInput> = {}) {
  return backfillConfig({
    paths: [join(tmp.dir, 'in')],
    statePath: join(tmp.dir, 'state.json'),
    rejectsPath: join(tmp.dir, 'rejects.ndjson'),
    tenant: 'contoso.onmicrosoft.com',
    ...over,
  });
}

function inputFolder(files: Record<string, string>) {
  const dir = join(tmp.dir, 'in');
  mkdirSync(dir, { recursive: true });
  for (const [name, from] of Object.entries(files)) copyFileSync(from, join(dir, name));
  return dir;
}

describe('createBackfill', () => {
  it('reads a folder of mixed formats, reports the corrupt file and goes on', async () => {
    const dir = inputFolder({
      'a.json': sample('message-trace-v2.sample.json'),
      'b.csv': sample('historical-search.sample.utf16le.csv'),
      'c.eml': fixture('ndr-exo-5.7.509.eml'),
      'd.csv': sample('historical-search-detail.sample.csv'),
    });
    writeFileSync(
      join(dir, 'broken.json'),
      readFileSync(sample('message-trace-detail.sample.json'), 'utf8').slice(0, 3000),
    );
    const mem = memoryWriter();
    const summary = await createBackfill(config(), { classifier, writer: mem.writer, log: silentLog }).run();
    const byName = Object.fromEntries(summary.files.list.map((f) => [f.path.split('/').pop(), [f.format, f.status]]));
    expect(byName).toEqual({
      'a.json': ['v2-json', 'done'],
      'b.csv': ['historical-csv', 'done'],
      'broken.json': ['detail-json', 'failed'],
      'c.eml': ['eml', 'done'],
      'd.csv': ['detail-csv', 'done'],
    });
    expect(summary.files.failed).toBe(1);
    // 10 V2 rows + 14 historical rows + 1 NDR + 7 detail events, plus what preceded the damage in broken.json.
    expect(summary.rows.written).toBe(summary.rows.accepted);
    expect(summary.rows.accepted).toBeGreaterThanOrEqual(32);
    expect(summary.rows.rejected).toBe(0);
  });

  it('writes one day partition per insert', async () => {
    inputFolder({ 'b.csv': sample('historical-search.sample.csv'), 'a.json': sample('message-trace-v2.sample.json') });
    const mem = memoryWriter();
    await createBackfill(config({ batchRows: 3 }), { classifier, writer: mem.writer, log: silentLog }).run();
    for (const b of mem.batches) {
      const days = new Set(batchRows(b).map((e) => Math.floor((Number(e.event_time) * 1000) / DAY_MS)));
      expect(days.size).toBe(1);
    }
    expect(mem.batches.length).toBeGreaterThan(3);
  });

  it('skips files already done on a rerun, and rejects rows with their reason', async () => {
    inputFolder({ 'b.csv': sample('historical-search.sample.csv') });
    const first = memoryWriter();
    const s1 = await createBackfill(config({ tenant: undefined }), {
      classifier,
      writer: first.writer,
      log: silentLog,
    }).run();
    // The Enhanced summary names no tenant: without --tenant every row is rejected, with the reason.
    expect(s1.rejectedByReason).toEqual({ missing_tenant: 14 });
    const rejects = readFileSync(join(tmp.dir, 'rejects.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rejects[0]).toMatchObject({ reason: 'missing_tenant', record: 1, file: expect.stringContaining('b.csv') });
    expect(rejects[0].raw).toContain('ap@fabrikam.com##Receive, Fail');
    const again = await createBackfill(config({ tenant: undefined }), {
      classifier,
      writer: first.writer,
      log: silentLog,
    }).run();
    expect(again.files.skipped).toBe(1);
    expect(again.rows.read).toBe(0);
  });

  it('resumes after the last durable record when stopped, and ends with every row written', async () => {
    inputFolder({ 'a.json': sample('message-trace-v2.sample.json'), 'b.csv': sample('historical-search.sample.csv') });
    const mem = memoryWriter();
    const bf = createBackfill(config({ batchRows: 2 }), { classifier, writer: mem.writer, log: silentLog });
    let stopped = false;
    const origWrite = mem.writer.write.bind(mem.writer);
    mem.writer.write = async (b, s) => {
      const r = await origWrite(b, s);
      if (!stopped && mem.batches.length === 2) {
        stopped = true;
        bf.stop('SIGINT');
      }
      return r;
    };
    const s1 = await bf.run();
    expect(s1.interrupted).toBe('SIGINT');
    const state = JSON.parse(readFileSync(join(tmp.dir, 'state.json'), 'utf8')) as {
      files: Record<string, { durableRows: number; done: boolean }>;
    };
    const a = Object.entries(state.files).find(([p]) => p.endsWith('a.json'))![1];
    expect(a.done).toBe(false);
    expect(a.durableRows).toBeGreaterThan(0);
    const second = memoryWriter();
    const s2 = await createBackfill(config({ batchRows: 2 }), {
      classifier,
      writer: second.writer,
      log: silentLog,
    }).run();
    expect(s2.interrupted).toBeNull();
    expect(s2.rows.skippedBeforeCheckpoint).toBe(a.durableRows);
    const all = new Set([...mem.keys(), ...second.keys()]);
    expect(all.size).toBe(10 + 14);
    expect(s2.files.done).toBe(2);
  });

  it('keeps the checkpoint behind a failed write, so nothing is skipped on the rerun', async () => {
    inputFolder({ 'a.json': sample('message-trace-v2.sample.json') });
    const mem = memoryWriter({ failAfter: 1 });
    await expect(
      createBackfill(config({ batchRows: 2 }), { classifier, writer: mem.writer, log: silentLog }).run(),
    ).rejects.toThrow('ClickHouse is gone');
    const second = memoryWriter();
    await createBackfill(config({ batchRows: 2 }), { classifier, writer: second.writer, log: silentLog }).run();
    expect(new Set([...mem.keys(), ...second.keys()]).size).toBe(10);
  });

  it('reads a changed file again from the start', async () => {
    const dir = inputFolder({ 'a.json': sample('message-trace-v2.sample.json') });
    await createBackfill(config(), { classifier, writer: memoryWriter().writer, log: silentLog }).run();
    const rows = JSON.parse(readFileSync(sample('message-trace-v2.sample.json'), 'utf8')) as object[];
    writeFileSync(join(dir, 'a.json'), JSON.stringify(rows.slice(0, 4)));
    const mem = memoryWriter();
    const s = await createBackfill(config(), { classifier, writer: mem.writer, log: silentLog }).run();
    expect(s.rows.read).toBe(4);
    expect(mem.keys().size).toBe(4);
  });
});
