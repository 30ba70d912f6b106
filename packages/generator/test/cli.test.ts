/** `ndr generate` through its runner (stdout sink, expected file, flag errors) and, when built, the binary. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { decodeEvent, DEFAULT_TOPICS } from '@ndr/events';
import type { Expected } from '@ndr/generator';
import { register, runGenerate, type GenerateOptions } from '../../../services/cli/src/commands/generate.js';

function collector(): { stream: Writable & { isTTY?: boolean }; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString('utf8'));
      cb();
    },
  });
  return { stream, text: () => chunks.join('') };
}

const BASE: GenerateOptions = {
  events: 2_000,
  seed: '9',
  scenario: 'demo',
  duplicates: 0.1,
  malformed: 12,
  to: 'stdout',
  start: '2026-11-20T08:00:00Z',
  minutes: 15,
  tenants: 4,
  batchSize: 5000,
  partitions: 6,
  progress: true,
};

describe('ndr generate', () => {
  it('writes NDJSON {topic, key, value} lines that replay to the exact records, and the ground truth', async () => {
    const out = collector();
    const err = collector();
    const file = join(mkdtempSync(join(tmpdir(), 'ndr-gen-')), 'expected.json');
    const r = await runGenerate({ ...BASE, expected: file }, { env: {}, stdout: out.stream, stderr: err.stream });
    const lines = out.text().trimEnd().split('\n');
    expect(lines.length).toBe(2_000);
    const kindOf = Object.fromEntries(Object.entries(DEFAULT_TOPICS).map(([k, v]) => [v, k])) as Record<string, 'ndr'>;
    const reasons: Record<string, number> = {};
    for (const line of lines) {
      const o = JSON.parse(line) as { topic: string; key: string; value: string; encoding?: string };
      expect(Object.keys(o).sort()).toEqual(
        o.encoding ? ['encoding', 'key', 'topic', 'value'] : ['key', 'topic', 'value'],
      );
      const d = decodeEvent(kindOf[o.topic]!, Buffer.from(o.value, o.encoding === 'base64' ? 'base64' : 'utf8'));
      if (!d.ok) reasons[d.reason] = (reasons[d.reason] ?? 0) + 1;
    }
    const expected = JSON.parse(readFileSync(file, 'utf8')) as Expected;
    expect(expected.deadLetters.byReason).toEqual(reasons);
    expect(expected).toEqual(JSON.parse(JSON.stringify(r.expected)));
    expect(expected.options).toMatchObject({ events: 2_000, seed: 9, duplicateRatio: 0.1, malformed: 12, minutes: 15 });
    expect(err.text()).toMatch(/generate: 2,000 records \(1,988 valid incl\. \d+ duplicates, 12 malformed\) to stdout/);
  });

  it('takes topic names from NDR_TOPIC_* and rejects bad ones', async () => {
    const out = collector();
    await runGenerate(
      { ...BASE, events: 50, malformed: 0, progress: false },
      {
        env: { NDR_TOPIC_NDR: 'my.ndr', NDR_TOPIC_MESSAGE_TRACE: 'my.mt' },
        stdout: out.stream,
        stderr: collector().stream,
      },
    );
    const topics = new Set(
      out
        .text()
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as { topic: string }).topic),
    );
    expect([...topics].every((t) => ['my.mt', DEFAULT_TOPICS.trace_detail, 'my.ndr'].includes(t))).toBe(true);
    await expect(
      runGenerate(
        { ...BASE, events: 5, malformed: 0 },
        { env: { NDR_TOPIC_NDR: 'bad topic!' }, stdout: collector().stream, stderr: collector().stream },
      ),
    ).rejects.toThrow(/NDR_TOPIC_NDR/);
  });

  it('names the flag in option errors', async () => {
    const io = { env: {}, stdout: collector().stream, stderr: collector().stream };
    await expect(runGenerate({ ...BASE, duplicates: 3 }, io)).rejects.toThrow(/--duplicates/);
    await expect(runGenerate({ ...BASE, events: 5, malformed: 9 }, io)).rejects.toThrow(
      /--malformed: cannot exceed events/,
    );
    await expect(runGenerate({ ...BASE, to: 'file' }, io)).rejects.toThrow(/--to expects kafka or stdout/);
    await expect(runGenerate({ ...BASE, start: 'yesterday' }, io)).rejects.toThrow(/--start/);
    await expect(runGenerate({ ...BASE, scenario: 'chaos' }, io)).rejects.toThrow(/--scenario/);
  });

  it('starts the range so that it ends at the current minute with --start now', async () => {
    const now = Date.UTC(2026, 11, 1, 12, 30, 45);
    const r = await runGenerate(
      { ...BASE, events: 10, malformed: 0, start: 'now', minutes: 30, progress: false },
      { env: {}, stdout: collector().stream, stderr: collector().stream, now: () => now },
    );
    expect(r.expected!.range).toEqual({ from: '2026-12-01T12:00:00.000Z', to: '2026-12-01T12:30:00.000Z' });
  });

  it('registers a documented subcommand', () => {
    const program = new Command();
    register(program);
    const help = program.commands.find((c) => c.name() === 'generate')!.helpInformation();
    for (const flag of [
      '--events',
      '--seed',
      '--scenario',
      '--duplicates',
      '--malformed',
      '--to',
      '--rate',
      '--expected',
    ])
      expect(help).toContain(flag);
  });

  const bin = fileURLToPath(new URL('../../../services/cli/bin/ndr.js', import.meta.url));
  const built = existsSync(fileURLToPath(new URL('../../../services/cli/dist/commands/generate.js', import.meta.url)));
  it.skipIf(!built)('runs from the built binary and gives the same bytes as the library', () => {
    const run = () =>
      spawnSync(
        process.execPath,
        [bin, 'generate', '--to', 'stdout', '--events', '300', '--seed', '5', '--no-progress'],
        { encoding: 'utf8' },
      );
    const a = run();
    expect(a.status).toBe(0);
    expect(a.stdout.trimEnd().split('\n').length).toBe(300);
    expect(run().stdout).toBe(a.stdout);
  });
});
