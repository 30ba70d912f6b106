/**
 * The NDR catalogue (catalog/*.json) against its schema, its id and `requires_phrase`
 * conventions, and the seed documents it was built from: every code any seed mentions
 * must have an entry. Seeds are read from $NDR_SEEDS_DIR (default: ../shared/seeds beside the repository).
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  catalogFileSchema,
  type CatalogEntry,
  type CatalogFile,
} from '../../packages/classifier/src/catalog/schema.js';
import {
  DEFAULT_SEEDS_DIR,
  extractSeedCodes,
  listSeedFiles,
  seedId,
  ungarble,
} from '../../catalog/tools/seed-codes.mjs';

const FILES = {
  'exchange-online.json': { source: 'exchange_online', prefix: 'exo.' },
  'rfc3463.json': { source: 'rfc3463', prefix: 'rfc3463.' },
  'rfc5321.json': { source: 'rfc5321', prefix: 'rfc5321.' },
} as const;
type FileName = keyof typeof FILES;

const catalogUrl = (name: string) => new URL(`../../catalog/${name}`, import.meta.url);
const raw = Object.fromEntries(
  Object.keys(FILES).map((f) => [f, JSON.parse(readFileSync(catalogUrl(f), 'utf8')) as unknown]),
) as Record<FileName, unknown>;

/** Parsed files; a file that does not parse is reported by its own test and left out here. */
const parsed = new Map<FileName, CatalogFile>();
for (const f of Object.keys(FILES) as FileName[]) {
  const r = catalogFileSchema.safeParse(raw[f]);
  if (r.success) parsed.set(f, r.data);
}
const entriesOf = (f: FileName): CatalogEntry[] => parsed.get(f)?.entries ?? [];
const exo = entriesOf('exchange-online.json');
const all = (Object.keys(FILES) as FileName[]).flatMap(entriesOf);

// ── code arithmetic ─────────────────────────────────────────────────────────
const parts = (code: string) => code.split('.') as [string, string, string];
const subjectOf = (code: string) => parts(code).slice(0, 2).join('.');
const detailOf = (code: string) => Number(parts(code)[2]);
const inRange = (code: string, r: { from: string; to: string }) =>
  subjectOf(code) === subjectOf(r.from) && detailOf(code) >= detailOf(r.from) && detailOf(code) <= detailOf(r.to);
const expand = (r: { from: string; to: string }) =>
  Array.from(
    { length: detailOf(r.to) - detailOf(r.from) + 1 },
    (_, i) => `${subjectOf(r.from)}.${detailOf(r.from) + i}`,
  );

/** Entries whose `codes` (exact or `x.` wildcard) or `ranges` cover an enhanced code. */
function coveringEntries(code: string, entries = all): CatalogEntry[] {
  const [, s, d] = parts(code);
  return entries.filter(
    (e) => e.match.codes.some((c) => c === code || c === `x.${s}.${d}`) || e.match.ranges.some((r) => inRange(code, r)),
  );
}
const replyCovered = (reply: string) => all.some((e) => e.match.replies.includes(reply));

// ── a reference reading of the matching rules the README documents ─────────
const fold = (text: string) => text.toLowerCase().replace(/\s+/g, ' ');
/** Longest phrase (English or Norwegian) contained in the text, and whose entry it is. */
function longestPhrase(text: string, entries: CatalogEntry[]) {
  const t = fold(text);
  let best: { phrase: string; entry: CatalogEntry } | undefined;
  for (const entry of entries) {
    for (const phrase of [...entry.match.phrases, ...entry.match.phrases_nb]) {
      if (t.includes(phrase) && (!best || phrase.length > best.phrase.length)) best = { phrase, entry };
    }
  }
  return best;
}
/** Among the entries of one code: a matching requires_phrase entry (longest phrase), else the default. */
function chooseAmong(candidates: CatalogEntry[], text: string): CatalogEntry | undefined {
  const withPhrase = longestPhrase(
    text,
    candidates.filter((e) => e.match.requires_phrase),
  );
  return withPhrase?.entry ?? candidates.find((e) => !e.match.requires_phrase);
}
/** Exact exo code, narrowest exo range, RFC 3463 x.S.D, x.S.0, x.0.0; then reply code; then phrases. */
function resolve(text: string): string | undefined {
  const code = /(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d])/.exec(text);
  if (code) {
    const c = `${code[1]}.${Number(code[2])}.${Number(code[3])}`;
    const exact = chooseAmong(
      exo.filter((e) => e.match.codes.includes(c)),
      text,
    );
    if (exact) return exact.id;
    const ranges = exo.filter((e) => e.match.ranges.some((r) => inRange(c, r))).sort((a, b) => span(a, c) - span(b, c));
    const narrowest = ranges.filter((e) => span(e, c) === (ranges[0] && span(ranges[0], c)));
    const ranged = chooseAmong(narrowest, text);
    if (ranged) return ranged.id;
    const [, s, d] = parts(c);
    for (const x of [`x.${s}.${d}`, `x.${s}.0`, 'x.0.0']) {
      const hit = entriesOf('rfc3463.json').find((e) => e.match.codes.includes(x));
      if (hit) return hit.id;
    }
  }
  const reply = /(?<![\d.])([2-5]\d\d)(?=[ -])/.exec(text);
  const phrase = longestPhrase(text, all);
  if (!code && phrase) return phrase.entry.id;
  if (reply) return entriesOf('rfc5321.json').find((e) => e.match.replies.includes(reply[1]!))?.id;
  return phrase?.entry.id;
}
function span(e: CatalogEntry, code: string): number {
  const r = e.match.ranges.find((x) => inRange(code, x));
  return r ? detailOf(r.to) - detailOf(r.from) : Number.POSITIVE_INFINITY;
}

// ── seeds ───────────────────────────────────────────────────────────────────
const seedsDir = process.env.NDR_SEEDS_DIR || DEFAULT_SEEDS_DIR;
const seedFiles = existsSync(seedsDir) ? listSeedFiles(seedsDir) : [];
const seeds = seedFiles.map((f) => {
  const text = readFileSync(f, 'utf8');
  return { id: seedId(f), text, ...extractSeedCodes(text) };
});
const seed = (id: string) => {
  const s = seeds.find((x) => x.id === id);
  if (!s) throw new Error(`seed ${id} not found in ${seedsDir} (set NDR_SEEDS_DIR)`);
  return s;
};

describe('catalogue files', () => {
  it.each(Object.keys(FILES) as FileName[])('%s parses with the catalogue schema', (f) => {
    const r = catalogFileSchema.safeParse(raw[f]);
    expect(r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([]);
  });

  it.each(Object.keys(FILES) as FileName[])('%s holds only its own source and id prefix', (f) => {
    const { source, prefix } = FILES[f];
    const wrong = entriesOf(f).filter((e) => e.source !== source || !e.id.startsWith(prefix));
    expect(wrong.map((e) => e.id)).toEqual([]);
  });

  it('has unique ids across all files', () => {
    const seen = new Map<string, number>();
    for (const e of all) seen.set(e.id, (seen.get(e.id) ?? 0) + 1);
    expect([...seen].filter(([, n]) => n > 1).map(([id]) => id)).toEqual([]);
  });

  it('forms ids from the codes they match', () => {
    const bad: string[] = [];
    for (const e of all) {
      const m = e.match;
      let base: string;
      if (e.source === 'rfc5321') base = `rfc5321.${m.replies.join('_')}`;
      else if (e.source === 'rfc3463') base = `rfc3463.${m.codes.join('_')}`;
      else if (m.codes.length > 0 && m.ranges.length === 0) base = `exo.${m.codes.join('_')}`;
      else if (m.ranges.length === 1 && m.codes.length === 0) {
        const r = m.ranges[0]!;
        base = `exo.${r.from}-${parts(r.to)[2]}`;
      } else base = 'exo';
      const suffix = e.id.slice(base.length);
      const ok =
        e.id.startsWith(base) &&
        (base === 'exo'
          ? /^\.[a-z][a-z0-9_]*$/.test(suffix) // code-less: exo.<name>
          : e.match.requires_phrase
            ? /^\.[a-z][a-z0-9_]*$/.test(suffix) // a meaning told apart by text
            : suffix === '');
      if (!ok) bad.push(e.id);
    }
    expect(bad).toEqual([]);
  });

  it('gives Exchange Online entries the class of their codes', () => {
    const bad = exo.filter((e) => {
      const digits = new Set([...e.match.codes, ...e.match.ranges.map((r) => r.from)].map((c) => c[0]));
      if (digits.size > 1) return true;
      const d = [...digits][0];
      return (d === '4' && e.class !== 'transient') || (d === '5' && e.class !== 'permanent');
    });
    expect(bad.map((e) => e.id)).toEqual([]);
  });

  it('keeps RFC 3463 entries class-independent', () => {
    const bad = entriesOf('rfc3463.json').filter(
      (e) => e.match.codes.length !== 1 || !e.match.codes[0]!.startsWith('x.') || e.match.ranges.length > 0,
    );
    expect(bad.map((e) => e.id)).toEqual([]);
  });

  it('covers every RFC 3463 subject and detail, and the later IANA-registered codes', () => {
    // RFC 3463 up to X.7.7; later registrations: X.1.9-10, X.3.6, X.5.6, X.6.6-10, X.7.8-30 (IANA registry).
    const details: Record<string, number> = { 0: 0, 1: 10, 2: 4, 3: 6, 4: 7, 5: 6, 6: 10, 7: 30 };
    const missing = Object.entries(details).flatMap(([s, max]) =>
      Array.from({ length: max + 1 }, (_, d) => `x.${s}.${d}`).filter(
        (x) => !entriesOf('rfc3463.json').some((e) => e.match.codes.includes(x)),
      ),
    );
    expect(missing).toEqual([]);
  });
});

describe('codes told apart by text', () => {
  it('has exactly one default (requires_phrase: false) per code shared by several entries', () => {
    const groups = new Map<string, CatalogEntry[]>();
    for (const e of exo) {
      for (const key of [...e.match.codes, ...e.match.ranges.map((r) => `${r.from}-${r.to}`)]) {
        groups.set(key, [...(groups.get(key) ?? []), e]);
      }
    }
    const bad = [...groups]
      .filter(([, es]) => es.length > 1)
      .filter(([, es]) => es.filter((e) => !e.match.requires_phrase).length !== 1)
      .map(([key, es]) => `${key}: ${es.map((e) => `${e.id}(${e.match.requires_phrase})`).join(', ')}`);
    expect(bad).toEqual([]);
  });

  it('falls back to RFC 3463 when every entry for a code needs a phrase', () => {
    const bad = exo
      .filter((e) => e.match.requires_phrase)
      .flatMap((e) => e.match.codes)
      .filter((c) => exo.every((e) => !e.match.codes.includes(c) || e.match.requires_phrase))
      .filter((c) => coveringEntries(c, entriesOf('rfc3463.json')).length === 0);
    expect(bad).toEqual([]);
  });

  it('picks each meaning from its own title', () => {
    const shared = exo.filter((e) =>
      e.match.codes.some((c) => exo.filter((x) => x.match.codes.includes(c)).length > 1),
    );
    const wrong = shared.flatMap((e) =>
      e.match.codes.map((c) => ({
        e,
        got: chooseAmong(
          exo.filter((x) => x.match.codes.includes(c)),
          e.title,
        ),
      })),
    );
    expect(wrong.filter((w) => w.got?.id !== w.e.id).map((w) => `${w.e.id} -> ${w.got?.id}`)).toEqual([]);
  });

  it('keeps exo ranges nested or disjoint, so the narrowest one wins', () => {
    const ranges = exo.flatMap((e) => e.match.ranges.map((r) => ({ id: e.id, r })));
    const bad: string[] = [];
    for (const a of ranges) {
      for (const b of ranges) {
        if (a === b || subjectOf(a.r.from) !== subjectOf(b.r.from)) continue;
        const [a1, a2, b1, b2] = [a.r.from, a.r.to, b.r.from, b.r.to].map(detailOf) as [number, number, number, number];
        const overlap = a1 <= b2 && b1 <= a2;
        const nested = (a1 <= b1 && b2 <= a2) || (b1 <= a1 && a2 <= b2);
        if (overlap && !nested) bad.push(`${a.id} / ${b.id}`);
      }
    }
    expect(bad).toEqual([]);
  });
});

describe('phrases', () => {
  // A phrase may be shared only by the same meaning in both classes (a block-list rejection sent as 5.7.1 or
  // deferred with a 4xx): the code's or reply's class picks one of them, so they never compete.
  it('never gives the same phrase to two entries of one class', () => {
    const owner = new Map<string, CatalogEntry[]>();
    for (const e of all) {
      for (const p of [...e.match.phrases, ...e.match.phrases_nb]) owner.set(p, [...(owner.get(p) ?? []), e]);
    }
    const clash = [...owner]
      .filter(([, es]) => es.length > 1 && new Set(es.map((e) => e.class)).size < es.length)
      .map(([p, es]) => `${p}: ${es.map((e) => e.id).join(', ')}`);
    expect(clash).toEqual([]);
  });

  it('avoids phrases that dozens of bounces share', () => {
    const generic = new Set([
      'access denied',
      'access denied,',
      'service unavailable',
      'please try again later',
      'try again later',
      'banned sender',
      'rejected',
      'not authorized',
      'authentication required',
      'permanent failure',
      'temporary failure',
      'tilgang nektet',
    ]);
    const bad = all.flatMap((e) => [...e.match.phrases, ...e.match.phrases_nb].filter((p) => generic.has(p.trim())));
    expect(bad).toEqual([]);
  });

  it('keeps phrases on whole words and folded whitespace', () => {
    const bad = all.flatMap((e) =>
      [...e.match.phrases, ...e.match.phrases_nb].filter((p) => p !== p.trim() || /\s{2,}|\n/.test(p)),
    );
    expect(bad).toEqual([]);
  });

  it.each([
    [
      '550 5.7.509 Access denied, sending domain [CONTOSO.COM] does not pass DMARC verification and has a DMARC policy of reject.',
      'exo.5.7.509',
    ],
    ['Access denied, sending domain [CONTOSO.COM] does not pass DMARC verification', 'exo.5.7.509'],
    ['550 5.7.1 Unable to relay', 'exo.5.7.1.unable_to_relay'],
    ['530 5.7.1 Client was not authenticated', 'exo.5.7.1.client_not_authenticated'],
    ['550 5.7.1 Delivery not authorized, message refused', 'exo.5.7.1'],
    [
      "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).",
      'exo.5.7.1.ip_blocklisted',
    ],
    ['550 5.4.1 Recipient address rejected: Access denied. AS(201806281)', 'exo.5.4.1.recipient_rejected'],
    ['550 5.4.1 [bob@example.com]: Relay Access Denied', 'exo.5.4.1'],
    [
      '554 5.2.2 mailbox full; STOREDRV.Submission.Exception:SubmissionQuotaExceededException',
      'exo.5.2.2.submission_quota',
    ],
    ['552 5.2.2 The email account that you tried to reach is over quota', 'exo.5.2.2'],
    [
      '554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message',
      'exo.5.2.0.submission_quota',
    ],
    ['554 5.2.0 STOREDRV.Deliver.Exception:StoragePermanentException', 'rfc3463.x.2.0'],
    [
      "The message can't be submitted because the sender's submission quota was exceeded",
      'exo.submission_quota_exceeded',
    ],
    ['550 5.7.620 Access denied, banned sending IP [192.0.2.1]', 'exo.5.7.606-649'],
    ['550 5.7.560 Access denied', 'exo.5.7.500-699'],
    ['451 4.7.612 Access denied, please try again later', 'exo.4.7.500-699'],
    ['550 5.7.705 Access denied, tenant has exceeded threshold', 'exo.5.7.705'],
    ['550 5.7.720 Access denied', 'exo.5.7.700-749'],
    ['554 5.4.14 Hop count exceeded - possible mail loop ATTR34', 'exo.5.4.6_5.4.14'],
    ['550 5.1.15 some recipient problem', 'exo.5.1.9-20'],
    ['550 5.1.2 Host unknown', 'rfc3463.x.1.2'],
    ['421 4.4.9 No connector', 'exo.4.4.9'],
    ['550 5.9.1 Whatever', 'rfc3463.x.0.0'],
    ['552 Requested mail action aborted: exceeded storage allocation', 'rfc5321.552'],
    ['Kontoen er blokkert fordi den sender for mye søppelpost.', 'exo.5.1.8'],
    ['Avsenderens domene i 5322.From-adressen innfrir ikke DMARC.', 'exo.5.7.509'],
  ])('reads %j as %s', (text, id) => {
    expect(resolve(text)).toBe(id);
  });
});

describe('alert tags', () => {
  const tags = (id: string) => all.find((e) => e.id === id)?.alert_tags ?? ['<no such entry>'];
  it.each([
    ['exo.5.7.705', ['blocked_tenant']],
    ['exo.5.7.708', ['blocked_tenant']],
    ['exo.5.7.750', ['blocked_tenant']],
    ['exo.5.7.700-749', ['blocked_tenant']],
    ['exo.5.7.606-649', ['blocked_ip']],
    ['exo.5.7.511', ['blocked_ip']],
    ['exo.4.7.850-899', ['blocked_ip']],
    ['exo.5.7.1.ip_blocklisted', ['blocked_ip']],
    ['exo.5.7.513', ['recipient_blocklist']],
    ['exo.5.1.8', ['blocked_sender', 'compromise_signal']],
    ['exo.5.7.501', ['blocked_sender', 'compromise_signal']],
    ['exo.5.7.502', ['blocked_sender', 'compromise_signal']],
    ['exo.5.7.503', ['blocked_sender', 'compromise_signal']],
    ['exo.4.7.500-699', ['blocked_sender', 'compromise_signal']],
    ['exo.5.2.2.submission_quota', ['compromise_signal', 'rate_limited']],
    ['exo.5.1.90', ['compromise_signal', 'rate_limited']],
    ['exo.submission_quota_exceeded', ['compromise_signal', 'rate_limited']],
    ['exo.5.7.509', ['auth_failure', 'dmarc_failure']],
    ['exo.5.7.23', ['auth_failure']],
    ['exo.5.7.515', ['auth_failure']],
    ['exo.4.7.26', ['auth_failure']],
    ['exo.5.7.25', ['auth_failure']],
    ['exo.4.7.321', ['tls_failure']],
    ['exo.5.7.323', ['tls_failure']],
    ['exo.4.4.8', ['tls_failure']],
    ['exo.5.4.8', ['tls_failure']],
    ['exo.4.7.5', ['tls_failure']],
    ['exo.5.7.5', ['tls_failure']],
    ['exo.5.4.6_5.4.14', ['mail_loop']],
    ['exo.5.2.2', []],
    ['exo.5.7.703', []],
  ])('%s carries %j', (id, expected) => {
    expect([...tags(id)].sort()).toEqual(expected);
  });

  it('pairs compromise_signal with blocked_sender or rate_limited', () => {
    const bad = all.filter(
      (e) =>
        e.alert_tags.includes('compromise_signal') &&
        !e.alert_tags.includes('blocked_sender') &&
        !e.alert_tags.includes('rate_limited'),
    );
    expect(bad.map((e) => e.id)).toEqual([]);
  });
});

describe('seed-codes extractor', () => {
  it.each([
    ['| iv.7.321 | starttls', ['4.7.321']],
    ['| four.seven.325 |', ['4.7.325']],
    ['| 5.one.10 |', ['5.1.10']],
    ['550 v.1.x in Exchange', ['5.1.10']],
    ['5.4.half-dozen or five.4.xiv', ['5.4.6', '5.4.14']],
    ['error code 5.1.ane here', ['5.1.1']],
    ['code five.vii.136 and 5.seven.i', ['5.7.1', '5.7.136']],
    ['4.iv.three hundred sixteen', ['4.4.316']],
    ['5.2.twenty-one', ['5.2.21']],
    ['Remote Server Returned 5.0 0', ['5.0.0']],
  ])('ungarbles %j', (text, codes) => {
    expect(extractSeedCodes(text).codes).toEqual(codes);
  });

  it.each([
    'a five.ten.ten code indicates a permanent error, and a 4.10.x code a temporary one',
    'the format abc x.y.z, where a 5.x.x code is permanent',
    'I think so. I. V. X.',
    'RFC 5322 section 3.6.two compliant, X.509 certificates, 5322.From address',
    'host mail.contoso.com at 192.0.2.44 or 2a01:111:f200:2004::240, smtp.office365.com',
  ])('finds no code in %j', (text) => {
    expect(extractSeedCodes(text)).toEqual({ codes: [], ranges: [], replies: [] });
  });

  it('reads ranges, "or 135" and "through"', () => {
    const r = extractSeedCodes('4.vii.850-899; 5.7.13 or 135; 5.1.1 through 5.1.20; 5.4.6 til og med 5.4.20');
    expect(r.codes).toEqual(['5.1.1', '5.1.20', '5.4.6', '5.4.20', '5.7.13', '5.7.135']);
    expect(r.ranges).toEqual([
      { from: '4.7.850', to: '4.7.899' },
      { from: '5.1.1', to: '5.1.20' },
      { from: '5.4.6', to: '5.4.20' },
    ]);
  });

  it('reads reply codes only where they are used as codes', () => {
    const r = extractSeedCodes(
      'smtp;530 5.7.1 x. SMTP Error 471 y. 211 System status. 550-Verification failed. 431 - An error. ' +
        'more than 200 SMTP envelope recipients, Microsoft 365 Government, Office 365-brukere, 3.5.4 Start mail input',
    );
    expect(r.replies).toEqual(['211', '354', '431', '471', '530', '550']);
  });

  it('leaves text without garbled codes unchanged', () => {
    const text = 'Delivery has failed: 550 5.1.10 RESOLVER.ADR.RecipientNotFound';
    expect(ungarble(text)).toBe(text);
  });
});

describe('seeds', () => {
  it(`are all present in ${seedsDir} (000-004)`, () => {
    expect(seeds.map((s) => s.id)).toEqual(['000', '001', '002', '003', '004']);
  });

  it('000 is the garbled copy of 001: same codes but for rows added later', () => {
    const addedLater = ['4.4.8', '4.7.5', '5.4.8', '5.7.5', '5.7.703'];
    const clean = seed('001').codes.filter((c) => !addedLater.includes(c));
    expect(seed('000').codes).toEqual(clean);
  });

  it.each(['000', '001', '002', '003', '004'])('every code seed %s mentions has an entry', (id) => {
    const s = seed(id);
    const uncovered = [
      ...s.codes.filter((c) => coveringEntries(c).length === 0),
      ...s.ranges.flatMap((r) => expand(r).filter((c) => coveringEntries(c).length === 0)),
      ...s.replies.filter((r) => !replyCovered(r)).map((r) => `reply ${r}`),
    ];
    expect(uncovered, `codes from seed ${id} without an entry`).toEqual([]);
  });

  it('gives Norwegian text to every row of the Norwegian seed (004)', () => {
    // Table rows in 004 are lines holding only a code, a range or "5.7.13 eller 135".
    const rows = new Map<string, number>();
    for (const line of seed('004').text.split('\n')) {
      const m = /^\s*([245]\.\d{1,3}\.\d{1,3})(?:-(\d{1,3})| eller (\d{1,3}))?\s*$/.exec(line);
      if (!m) continue;
      const key = m[2] ? `${m[1]}-${m[2]}` : m[1]!;
      rows.set(key, (rows.get(key) ?? 0) + 1);
    }
    expect(rows.size).toBeGreaterThan(30);
    const missing: string[] = [];
    for (const [key, count] of rows) {
      const [from, to] = key.includes('-')
        ? [key.split('-')[0]!, `${subjectOf(key)}.${key.split('-')[1]}`]
        : [key, key];
      const withNb = exo.filter(
        (e) =>
          e.nb !== undefined &&
          (from === to ? e.match.codes.includes(from) : e.match.ranges.some((r) => r.from === from && r.to === to)),
      );
      if (withNb.length < count) missing.push(`${key} (${count} rows, ${withNb.length} with nb)`);
    }
    expect(missing).toEqual([]);
  });
});
