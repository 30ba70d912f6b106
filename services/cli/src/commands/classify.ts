/**
 * `ndr classify`: one raw diagnostic per line on stdin → one JSON object per line on stdout, in input order.
 *
 * Streamed: lines are classified as they arrive and output is written in ~64 KiB chunks; when stdout is
 * slower than stdin (a pipe into a slow consumer), reading pauses until stdout drains, so memory stays flat on
 * inputs of any length. Every input line gives exactly one output line (an empty line gives an unclassified
 * result), so outputs can be pasted next to inputs. `input` is echoed, cut to --input-chars characters (120 by
 * default, 0 leaves it out), so the output stands on its own when filtered with jq.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { once } from 'node:events';
import type { Command } from 'commander';
import { createClassifier, loadCatalog, type Classification, type Classifier } from '@ndr/classifier';

export interface ClassifyCliOptions {
  /** Echo the input, cut to this many characters; 0 leaves it out. */
  inputChars: number;
  /** Each line is a JSON string, or an object `{ "text": "...", "statusCode": "550 5.7.509" }` (multi-line DSNs). */
  jsonInput: boolean;
}

const FLUSH_BYTES = 64 * 1024;

export function outputRecord(r: Classification, input: string, inputChars: number): Record<string, unknown> {
  const record: Record<string, unknown> = {
    code: r.code,
    class: r.class,
    reason: r.reason,
    category: r.category,
    entry: r.entry,
    matched_by: r.matched_by,
    exact: r.exact,
    reply: r.reply,
    alert_tags: r.alert_tags,
    entities: r.entities,
  };
  if (inputChars > 0) record.input = input.length > inputChars ? `${input.slice(0, inputChars)}…` : input;
  return record;
}

function parseLine(line: string, jsonInput: boolean): { text: string; statusCode?: string } {
  if (!jsonInput) return { text: line };
  try {
    const v = JSON.parse(line) as unknown;
    if (typeof v === 'string') return { text: v };
    if (v !== null && typeof v === 'object') {
      const o = v as { text?: unknown; statusCode?: unknown };
      return {
        text: typeof o.text === 'string' ? o.text : '',
        ...(typeof o.statusCode === 'string' ? { statusCode: o.statusCode } : {}),
      };
    }
  } catch {
    // Not JSON: classify the raw line rather than drop it.
  }
  return { text: line };
}

/** Classifies `input` line by line into `output`; resolves with the number of lines once everything is written. */
export async function runClassify(
  classifier: Classifier,
  input: Readable,
  output: Writable,
  options: ClassifyCliOptions,
): Promise<number> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  let pending: string[] = [];
  let pendingBytes = 0;
  let lines = 0;
  let waiting: Promise<unknown> | null = null;

  const flush = (): void => {
    if (pending.length === 0) return;
    const chunk = pending.join('');
    pending = [];
    pendingBytes = 0;
    if (!output.write(chunk) && waiting === null) {
      rl.pause();
      waiting = once(output, 'drain').then(() => {
        waiting = null;
        rl.resume();
      });
    }
  };

  rl.on('line', (line) => {
    lines++;
    const { text, statusCode } = parseLine(line, options.jsonInput);
    const r = classifier.classify(text, statusCode === undefined ? undefined : { statusCode });
    const json = JSON.stringify(outputRecord(r, text, options.inputChars));
    pending.push(json, '\n');
    pendingBytes += json.length + 1;
    if (pendingBytes >= FLUSH_BYTES) flush();
  });
  await once(rl, 'close');
  flush();
  if (waiting !== null) await waiting;
  return lines;
}

export function register(program: Command): void {
  program
    .command('classify')
    .description('classify raw NDR/SMTP diagnostics: one string per line on stdin, one JSON object per line on stdout')
    .option('--catalog <dir>', 'catalogue folder (default: the repo catalog/)')
    .option('--input-chars <n>', 'echo the input in each result, cut to n characters (0: leave it out)', '120')
    .option(
      '--json-input',
      'each input line is a JSON string or {"text": "...", "statusCode": "..."} (for multi-line DSNs)',
    )
    .addHelpText(
      'after',
      `
Output fields: code, class, reason, category, entry, matched_by, exact, reply, alert_tags, entities, input.
Examples:
  echo "550 5.7.509 Access denied, sending domain [contoso.com] does not pass DMARC verification" | ndr classify
  cut -f3 failures.tsv | ndr classify --input-chars 0 | jq -r .reason | sort | uniq -c`,
    )
    .action(async (opts: { catalog?: string; inputChars: string; jsonInput?: boolean }) => {
      const inputChars = Number(opts.inputChars);
      if (!Number.isInteger(inputChars) || inputChars < 0) {
        throw new Error(`--input-chars expects a whole number ≥ 0, got "${opts.inputChars}"`);
      }
      const classifier = createClassifier(loadCatalog(opts.catalog));
      // A closed pipe (ndr classify | head) is a normal way to stop, not an error.
      process.stdout.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'EPIPE') process.exit(0);
        throw err;
      });
      await runClassify(classifier, process.stdin, process.stdout, { inputChars, jsonInput: opts.jsonInput === true });
    });
}
