/**
 * `ndr explain <code-or-id>`: what an NDR code (or catalogue id) means, its cause, the fix and who must act.
 * `--lang nb` prints the Norwegian title and text where the catalogue has them and says what stays English.
 */
import type { Command } from 'commander';
import { createClassifier, loadCatalog, type Explanation, type Lang } from '@ndr/classifier';

const ACTORS: Record<string, { en: string; nb: string }> = {
  sender: { en: 'the sender', nb: 'avsenderen' },
  sender_admin: { en: "the sender's email admin", nb: 'avsenderens e-postadministrator' },
  recipient_admin: { en: "the recipient's email admin", nb: 'mottakerens e-postadministrator' },
  microsoft_support: { en: 'Microsoft support', nb: 'Microsoft kundestøtte' },
};

const RESOLVED: Record<string, string> = {
  id: 'by id',
  exact_code: 'exact code',
  range: 'code range',
  code_and_phrase: 'code, needs the text to be chosen',
  class_fallback: 'no exact entry: RFC 3463 class fallback',
  reply_fallback: 'basic reply code: RFC 5321 meaning',
  none: 'not found',
};

export function formatExplanation(x: Explanation): string {
  const e = x.entry;
  if (e === null) return `${x.query}: ${x.cause}\n${x.fix}\n`;
  const nb = x.lang === 'nb';
  const label = (en: string, no: string) => (nb ? no : en).padEnd(nb ? 19 : 10);
  const lines = [`${x.query}  →  ${e.id} (${RESOLVED[x.resolved_by] ?? x.resolved_by})`, ''];
  if (x.fell_back_to_en) lines.push('(Ingen norsk tekst for denne oppføringen i katalogen; viser engelsk.)', '');
  lines.push(`${label('Title:', 'Tittel:')}${x.title}`);
  if (x.text !== null) lines.push(`${label('', 'Beskrivelse:')}${x.text}`);
  const tags = e.alert_tags.length > 0 ? ` · alerts: ${e.alert_tags.join(', ')}` : '';
  lines.push(`${label('Class:', 'Klasse:')}${x.class} · ${x.category} · ${x.reason}${tags}`);
  const english = nb && !x.fell_back_to_en ? ' (engelsk)' : '';
  lines.push(`${label('Cause:', `Årsak${english}:`)}${x.cause}`);
  lines.push(`${label('Fix:', `Løsning${english}:`)}${x.fix}`);
  lines.push(`${label('Who acts:', 'Hvem må handle:')}${x.who_acts.map((a) => ACTORS[a]?.[x.lang] ?? a).join(', ')}`);
  if (nb && !x.fell_back_to_en) lines.push('', '(Årsak og løsning finnes bare på engelsk i katalogen.)');
  if (x.alternatives.length > 0) {
    lines.push(
      '',
      nb ? 'Andre betydninger av koden (velges ut fra teksten):' : 'Other meanings of this code (chosen by the text):',
    );
    for (const a of x.alternatives)
      lines.push(`  ${a.id}: ${a.title}${a.phrases.length ? ` (text: "${a.phrases.join('", "')}")` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  program
    .command('explain')
    .description('explain an NDR status code or catalogue id: title, cause, fix and who acts')
    .argument(
      '<code-or-id>',
      'an enhanced status code (5.7.509), a reply code (550) or a catalogue id (exo.5.7.1.unable_to_relay)',
    )
    .option('--lang <lang>', 'en or nb (Norwegian where the catalogue has it)', 'en')
    .option('--json', 'print the explanation as JSON')
    .option('--catalog <dir>', 'catalogue folder (default: the repo catalog/)')
    .addHelpText(
      'after',
      '\nExamples:\n  ndr explain 5.7.509\n  ndr explain exo.5.7.1.unable_to_relay\n  ndr explain 5.7.509 --lang nb',
    )
    .action((codeOrId: string, opts: { lang: string; json?: boolean; catalog?: string }) => {
      if (opts.lang !== 'en' && opts.lang !== 'nb') throw new Error(`--lang expects en or nb, got "${opts.lang}"`);
      const x = createClassifier(loadCatalog(opts.catalog)).explain(codeOrId, opts.lang as Lang);
      process.stdout.write(opts.json ? `${JSON.stringify(x, null, 2)}\n` : formatExplanation(x));
      if (x.entry === null) process.exitCode = 1;
    });
}
