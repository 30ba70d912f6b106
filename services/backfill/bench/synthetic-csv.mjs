/**
 * A deterministic Get-MessageTraceV2 CSV of any size, written streaming, with its own expected totals
 * (computed here, independently of the pipeline). Used by the benchmark and the 1M-row integration test.
 *
 * Rows are newest first over `days` days (as V2 exports are), 1-3 recipients per message, statuses
 * Delivered / Failed / Pending / Quarantined / FilteredAsSpam / GettingStatus; some Pending rows are
 * followed later by the same (MessageTraceId, recipient) as Delivered (a status move), and some rows are
 * repeated byte for byte (an overlapping export). Exactly `rows` data rows are written.
 */
import { createWriteStream } from 'node:fs';

const HEADER =
  '"Received","SenderAddress","RecipientAddress","Subject","Status","ToIP","FromIP","Size","MessageId","MessageTraceId","Organization"\n';
const TENANTS = ['contoso', 'fabrikam', 'northwind', 'tailspin'];

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (n, width) => n.toString(16).padStart(width, '0');
const guid = (i) =>
  `${hex((i * 2654435761) >>> 0, 8)}-${hex(i & 0xffff, 4)}-4${hex((i >>> 16) & 0xfff, 3)}-a${hex(i % 4096, 3)}-${hex(i, 12)}`;

/**
 * @param {string} path
 * @param {{ rows: number, seed?: number, days?: number, endMs?: number }} opts
 * @returns {Promise<{ rows: number, bytes: number, tenants: Record<string, { total: number, delivered: number, failed: number, filtered: number, pending: number }> }>}
 */
export async function writeSyntheticCsv(path, opts) {
  const rnd = mulberry32(opts.seed ?? 1);
  const days = opts.days ?? 3;
  const endMs = opts.endMs ?? Date.UTC(2026, 10, 20, 0, 0, 0);
  const spanMs = days * 86_400_000;
  const out = createWriteStream(path);
  let chunk = HEADER;
  let bytes = 0;
  let rows = 0;
  /** key → { tenant, terminal status seen } */
  const keys = new Map();
  /** Rows to emit later: status moves (Delivered after Pending) and exact repeats. */
  const later = [];
  let msg = 0;

  const flush = async () => {
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
    chunk = '';
  };
  const count = (key, tenant, status) => {
    let k = keys.get(key);
    if (k === undefined)
      keys.set(key, (k = { tenant, delivered: false, failed: false, filtered: false, terminal: false }));
    if (status === 'Delivered') k.delivered = true;
    if (status === 'Failed') k.failed = true;
    if (status === 'Quarantined' || status === 'FilteredAsSpam') k.filtered = true;
    if (status !== 'Pending' && status !== 'GettingStatus') k.terminal = true;
  };
  /** Keeps `later` ordered by `at` (binary insertion). */
  const schedule = (item) => {
    let lo = 0;
    let hi = later.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (later[mid].at <= item.at) lo = mid + 1;
      else hi = mid;
    }
    later.splice(lo, 0, item);
  };
  const emit = (line, key, tenant, status) => {
    chunk += line;
    rows++;
    count(key, tenant, status);
  };

  while (rows < opts.rows) {
    const due = later.length > 0 && later[0].at <= msg ? later.shift() : null;
    if (due) {
      emit(due.line, due.key, due.tenant, due.status);
    } else {
      const i = msg++;
      const t = endMs - Math.floor((i / Math.max(1, opts.rows)) * spanMs * 0.8) - Math.floor(rnd() * 1000);
      const tenant = TENANTS[i % TENANTS.length];
      const org = `${tenant}.onmicrosoft.com`;
      const mtid = guid(i + 1);
      const received = new Date(t).toISOString().replace('Z', '0000');
      const nr = 1 + Math.floor(rnd() * rnd() * 3);
      for (let r = 0; r < nr && rows < opts.rows; r++) {
        const x = rnd();
        const status =
          x < 0.8
            ? 'Delivered'
            : x < 0.88
              ? 'Failed'
              : x < 0.93
                ? 'Pending'
                : x < 0.95
                  ? 'Quarantined'
                  : x < 0.97
                    ? 'FilteredAsSpam'
                    : 'GettingStatus';
        const rcpt = `user${(i * 7 + r) % 50_000}@example${r}.org`;
        const base = `"${received}","sender${i % 997}@${tenant}.com","${rcpt}","Subject ${i} ""quoted"", with comma",`;
        const tail = `,"203.0.113.${i % 250}","192.0.2.${r + 1}","${1000 + (i % 90_000)}","<${i}.${r}@mail.${tenant}.com>","${mtid}","${org}"\n`;
        const key = `${mtid}|${rcpt}`;
        emit(`${base}"${status}"${tail}`, key, tenant, status);
        if ((status === 'Pending' || status === 'GettingStatus') && rnd() < 0.6) {
          schedule({
            at: msg + 50 + Math.floor(rnd() * 400),
            line: `${base}"Delivered"${tail}`,
            key,
            tenant,
            status: 'Delivered',
          });
        } else if (rnd() < 0.02) {
          schedule({ at: msg + 1 + Math.floor(rnd() * 300), line: `${base}"${status}"${tail}`, key, tenant, status });
        }
      }
    }
    if (chunk.length >= 1 << 20) await flush();
  }
  await flush();
  await new Promise((resolve, reject) => out.end((err) => (err ? reject(err) : resolve())));

  const tenants = {};
  for (const k of keys.values()) {
    const org = `${k.tenant}.onmicrosoft.com`;
    const t = (tenants[org] ??= { total: 0, delivered: 0, failed: 0, filtered: 0, pending: 0 });
    t.total++;
    if (k.delivered) t.delivered++;
    if (k.failed) t.failed++;
    if (k.filtered) t.filtered++;
    if (!k.terminal) t.pending++;
  }
  return { rows, bytes, distinctKeys: keys.size, tenants };
}
