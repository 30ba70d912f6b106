/** `ndr classify` and `ndr explain`: through their register functions and stream runner, and the built binary. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClassifier, loadCatalog } from '@ndr/classifier';
import { register as registerClassify, runClassify } from '../src/commands/classify.js';
import { register as registerExplain } from '../src/commands/explain.js';

const classifier = createClassifier(loadCatalog());
const DMARC =
  '550 5.7.509 Access denied, sending domain [contoso.com] does not pass DMARC verification and has a DMARC policy of reject';

function collector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString('utf8'));
      cb();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('ndr classify', () => {
  it('writes one JSON object per input line, in order, with the documented fields', async () => {
    const out = collector();
    const input = Readable.from([
      `${DMARC}\n`,
      '\n',
      'Reason: [{LED=550 5.1.10 RESOLVER.ADR.RecipientNotFound; not found};{MSG=};{FQDN=};{IP=};{LRT=}]\r\n',
      'iv.7.321 starttls-not-supported',
    ]);
    const n = await runClassify(classifier, input, out.stream, { inputChars: 20, jsonInput: false });
    const lines = out
      .text()
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(n).toBe(4);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({
      code: '5.7.509',
      class: 'permanent',
      reason: 'auth_failure',
      category: 'authentication',
      entry: 'exo.5.7.509',
      matched_by: 'code_and_phrase',
    });
    expect(lines[0]?.entities).toMatchObject({ domains: ['contoso.com'] });
    expect(lines[0]?.input).toBe(`${DMARC.slice(0, 20)}…`);
    expect(lines[1]).toMatchObject({ entry: null, class: 'unknown', matched_by: 'none', input: '' });
    expect(lines[2]).toMatchObject({ code: '5.1.10', reason: 'user_unknown' });
    expect(lines[3]).toMatchObject({ code: '4.7.321', class: 'transient' });
  });

  it('reads JSON lines for multi-line DSN blocks and status hints, and can leave the input out', async () => {
    const out = collector();
    const input = Readable.from([
      `${JSON.stringify({ text: 'Action: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; 550 5.1.1 <x@example.org>... User unknown' })}\n`,
      `${JSON.stringify({ text: 'Access denied', statusCode: '550 5.7.509' })}\n`,
      'not json at all\n',
    ]);
    await runClassify(classifier, input, out.stream, { inputChars: 0, jsonInput: true });
    const lines = out
      .text()
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.code)).toEqual(['5.1.1', '5.7.509', null]);
    expect(lines.every((l) => !('input' in l))).toBe(true);
  });

  it('stops reading while stdout is full and finishes once it drains (backpressure)', async () => {
    const lineCount = 20_000;
    const input = Readable.from(
      (function* () {
        for (let i = 0; i < lineCount; i++) yield `${DMARC} #${i}\n`;
      })(),
    );
    let received = 0;
    let maxQueued = 0;
    // A consumer slower than the classifier: each chunk is acknowledged on a later turn of the event loop.
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _enc, cb) {
        received += chunk.toString().split('\n').length - 1;
        setTimeout(cb, 1);
      },
    });
    const write = slow.write.bind(slow);
    slow.write = ((chunk: string) => {
      const ok = write(chunk);
      maxQueued = Math.max(maxQueued, slow.writableLength);
      return ok;
    }) as typeof slow.write;
    const n = await runClassify(classifier, input, slow, { inputChars: 0, jsonInput: false });
    await new Promise<void>((resolve) => slow.end(resolve));
    expect(n).toBe(lineCount);
    expect(received).toBe(lineCount);
    // The output is about 6 MB; without backpressure nearly all of it would wait in the writable buffer.
    expect(maxQueued).toBeLessThan(1024 * 1024);
  });

  it('registers with help text', () => {
    const program = new Command();
    registerClassify(program);
    const help = program.commands.find((c) => c.name() === 'classify')?.helpInformation() ?? '';
    expect(help).toContain('--input-chars');
    expect(help).toContain('--json-input');
  });
});

describe('ndr explain', () => {
  afterEach(() => vi.restoreAllMocks());

  async function run(...args: string[]): Promise<string> {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    const program = new Command().exitOverride();
    registerExplain(program);
    await program.parseAsync(['node', 'ndr', 'explain', ...args]);
    return out.join('');
  }

  it('prints title, cause, fix and who acts for a code', async () => {
    const text = await run('5.7.509');
    expect(text).toContain('exo.5.7.509');
    expect(text).toMatch(/Cause: +\S/);
    expect(text).toMatch(/Fix: +\S/);
    expect(text).toContain("the sender's email admin");
  });

  it('explains by id and in Norwegian, saying what stays English', async () => {
    const text = await run('exo.5.7.1.unable_to_relay', '--lang', 'nb');
    expect(text).toContain('Tittel:');
    expect(text).toContain('engelsk');
  });

  it('prints JSON with --json', async () => {
    const x = JSON.parse(await run('5.7.1', '--json')) as {
      entry: { id: string };
      alternatives: Array<{ id: string }>;
    };
    expect(x.entry.id).toBe('exo.5.7.1');
    expect(x.alternatives.map((a) => a.id)).toContain('exo.5.7.1.unable_to_relay');
  });
});

const bin = fileURLToPath(new URL('../bin/ndr.js', import.meta.url));
const built = existsSync(fileURLToPath(new URL('../dist/commands/classify.js', import.meta.url)));

describe.skipIf(!built)('built ndr binary', () => {
  it('classifies stdin and explains a code', () => {
    const c = spawnSync(process.execPath, [bin, 'classify', '--input-chars', '0'], {
      input: `${DMARC}\n550 Requested action not taken\n`,
      encoding: 'utf8',
    });
    expect(c.status).toBe(0);
    const lines = c.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { code: string | null; matched_by: string });
    expect(lines.map((l) => l.matched_by)).toEqual(['code_and_phrase', 'reply_fallback']);
    const e = spawnSync(process.execPath, [bin, 'explain', '5.7.509', '--lang', 'nb'], { encoding: 'utf8' });
    expect(e.status).toBe(0);
    expect(e.stdout).toContain('DMARC');
  });
});
