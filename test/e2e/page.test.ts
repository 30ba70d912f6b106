/**
 * The built-in page in a real browser (Debian's chromium driven by playwright-core) against the
 * API over a seeded ClickHouse database: aggregates inserted as the consumer writes them, alerts
 * raised by the real alert engine replayed over that data. The data lies in the past, so the page
 * must end its window at the data's watermark by itself.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { pino } from 'pino';
import { createClassifier, loadCatalog } from '@ndr/classifier';
import { createAlertEngine, createApiServer, createTrends, loadRules, replayAlerts } from '@ndr/api';
import { createTestDatabase, type TestDatabase } from '../helpers/clickhouse.js';
import { migrateTestDatabase } from '../helpers/pipeline.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const START = Date.UTC(2026, 10, 20, 8, 0, 0) / 1000; // event time in the past, like a replay
const MINUTES = 60;
const CONTOSO = 'contoso.onmicrosoft.com';
const FABRIKAM = 'fabrikam.onmicrosoft.com';
const HOSTILE = `<img src=x onerror="window.__xss=1">'&"`; // a tenant name is data, never markup
const BANNED_IP = '198.51.100.77';

interface Seed {
  tenant: string;
  code: string;
  entry: string;
  reason: string;
  category: string;
  ip?: string;
  /** Bounced messages in minute i (0-based). */
  perMinute(i: number): number;
}
const SEEDS: Seed[] = [
  {
    tenant: CONTOSO,
    code: '5.7.509',
    entry: 'exo.5.7.509',
    reason: 'auth_failure',
    category: 'authentication',
    perMinute: (i) => 3 + (i % 5),
  },
  {
    tenant: CONTOSO,
    code: '5.1.10',
    entry: 'exo.5.1.10',
    reason: 'user_unknown',
    category: 'recipient',
    perMinute: () => 2,
  },
  {
    tenant: FABRIKAM,
    code: '5.7.606',
    entry: 'exo.5.7.606-649',
    reason: 'blocked_ip',
    category: 'reputation',
    ip: BANNED_IP,
    perMinute: (i) => (i >= 30 ? 6 : 0),
  },
  {
    tenant: FABRIKAM,
    code: '5.1.10',
    entry: 'exo.5.1.10',
    reason: 'user_unknown',
    category: 'recipient',
    perMinute: () => 1,
  },
  {
    tenant: HOSTILE,
    code: '5.7.705',
    entry: 'exo.5.7.705',
    reason: 'blocked_tenant',
    category: 'reputation',
    perMinute: (i) => (i >= 50 ? 2 : 0),
  },
];
const total = (s: Seed, fromMinute = 0, toMinute = MINUTES) => {
  let n = 0;
  for (let i = fromMinute; i < toMinute; i++) n += s.perMinute(i);
  return n;
};

/** Rows for agg_minute_input as the consumer writes them: per minute and group, the keys seen. */
function seedRows(): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const group = {
    direction: 'outbound',
    class: 'permanent',
    sender_domain: 'example.com',
    recipient_domain: 'example.net',
  };
  for (let i = 0; i < MINUTES; i++) {
    const bucket = START + i * 60;
    const failedBy = new Map<string, number>();
    for (const s of SEEDS) {
      const n = s.perMinute(i);
      if (n === 0) continue;
      failedBy.set(s.tenant, (failedBy.get(s.tenant) ?? 0) + n);
      const keys = Array.from({ length: n }, (_, j) => `${s.tenant}|${s.code}|${i}|${j}`);
      rows.push({
        ...group,
        bucket,
        tenant: s.tenant,
        schema: 'trace_detail',
        status: 'fail',
        terminal: 1,
        bounce: 1,
        code: s.code,
        entry: s.entry,
        reason: s.reason,
        category: s.category,
        ip: s.ip ?? '',
        message_keys: keys,
        event_keys: keys.map((k) => `td|${k}`),
      });
    }
    for (const tenant of [CONTOSO, FABRIKAM, HOSTILE]) {
      const failed = failedBy.get(tenant) ?? 0;
      for (const [status, n] of [
        ['delivered', 40],
        ['failed', failed],
      ] as const) {
        if (n === 0) continue;
        const keys = Array.from({ length: n }, (_, j) => `${tenant}|${status}|${i}|${j}`);
        rows.push({
          ...group,
          bucket,
          tenant,
          schema: 'message_trace',
          status,
          terminal: 1,
          bounce: 0,
          code: '',
          entry: '',
          reason: '',
          category: '',
          ip: '',
          class: status === 'failed' ? 'permanent' : 'success',
          message_keys: keys,
          event_keys: keys.map((k) => `mt|${k}`),
        });
      }
    }
  }
  return rows;
}

/** What page.evaluate reads in the browser (the test program has no DOM types). */
interface Chart {
  series: { label: string; stroke: unknown }[];
  data: (number | null)[][];
}
interface BrowserWindow {
  ndrPage: { loads: number; charts: { trend: Chart | null; rate: Chart | null } };
  __xss?: unknown;
  document: {
    documentElement: { scrollWidth: number };
    querySelector(selector: string): {
      width: number;
      height: number;
      getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
    } | null;
  };
}

describe('the built-in page in a browser', () => {
  let missing = ''; // why the browser cannot run here, if it cannot
  let db: TestDatabase;
  let app: Awaited<ReturnType<typeof createApiServer>>;
  let base = '';
  let profile = '';
  let browser: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  const classifier = createClassifier(loadCatalog());

  beforeAll(async () => {
    const ensure = spawnSync('bash', ['infra/browser/ensure-chromium.sh'], {
      cwd: repo,
      encoding: 'utf8',
      timeout: 900_000,
    });
    if (ensure.status === 3) {
      missing = `chromium cannot be installed here: ${ensure.stderr.trim()}`;
      return;
    }
    expect(ensure.status, `infra/browser/ensure-chromium.sh failed:\n${ensure.stderr}`).toBe(0);

    db = await createTestDatabase('page');
    await migrateTestDatabase(db);
    await db.client.insert({ table: 'agg_minute_input', values: seedRows(), format: 'JSONEachRow' });
    // Alerts as the alerting process would have raised them, evaluated minute by minute up to the watermark.
    const catalog = loadCatalog();
    const engine = createAlertEngine({
      client: db.client,
      database: db.name,
      catalog,
      classifier,
      rules: loadRules(),
      notifier: { notify: async () => undefined },
    });
    await engine.init();
    await replayAlerts(engine, START + 45 * 60, START + MINUTES * 60);

    app = await createApiServer({
      client: db.client,
      database: db.name,
      trends: createTrends(db.client, db.name, classifier),
      classifier,
      log: pino({ level: 'silent' }),
    });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    profile = mkdtempSync(join(tmpdir(), 'ndr-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1280, height: 900 },
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
  });
  afterAll(async () => {
    await browser?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await app?.close();
    await db?.drop();
  });

  const loads = () => page.evaluate(() => (globalThis as unknown as BrowserWindow).ndrPage?.loads ?? 0);
  async function loaded(after: number) {
    await page.waitForFunction((n) => ((globalThis as unknown as BrowserWindow).ndrPage?.loads ?? 0) > n, after, {
      timeout: 20_000,
    });
  }
  const trend = () =>
    page.evaluate(() => {
      const c = (globalThis as unknown as BrowserWindow).ndrPage.charts.trend;
      return c ? { labels: c.series.slice(1).map((s) => s.label), data: c.data } : null;
    });
  const sumOf = (t: NonNullable<Awaited<ReturnType<typeof trend>>>, label: string) =>
    (t.data[t.labels.indexOf(label) + 1] ?? []).reduce<number>((a, v) => a + (v ?? 0), 0);

  it('answers the small endpoints the page uses', async (ctx) => {
    if (missing) ctx.skip(missing);
    const tenants = (await (await fetch(`${base}/api/tenants`)).json()) as { tenants: { tenant: string }[] };
    expect(tenants.tenants.map((t) => t.tenant)).toEqual([HOSTILE, CONTOSO, FABRIKAM].sort());
    expect(await (await fetch(`${base}/api/watermark`)).json()).toMatchObject({
      watermark: START + (MINUTES - 1) * 60,
    });
    const url = `${base}/api/alerts?state=open&tenant=${encodeURIComponent(HOSTILE)}`;
    const hostile = (await (await fetch(url)).json()) as { alerts: { rule: string; tenant: string }[] };
    expect(hostile.alerts.map((a) => [a.rule, a.tenant])).toEqual([['blocked_tenant', HOSTILE]]);
    expect((await fetch(`${base}/api/alerts?state=closed`)).status).toBe(400);
    const res = await fetch(`${base}/`);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('draws the seeded codes, lists them with their fix, and shows the open alerts', async (ctx) => {
    if (missing) ctx.skip(missing);
    await page.goto(`${base}/`);
    await loaded(0);
    // The data is days old: the window ends at its watermark, and the page says so.
    await expect.poll(() => page.locator('#status').textContent()).toContain('older than now');

    // Narrow the window to the hour of data with the control, as a user would.
    const before = await loads();
    await page.selectOption('#window', '1h');
    await loaded(before);
    expect(page.url()).toContain('window=1h');

    const t = (await trend())!;
    expect(t.labels).toEqual(expect.arrayContaining(['5.7.509', '5.7.606', '5.1.10', '5.7.705']));
    expect(t.data[0]).toHaveLength(60); // one point per minute of the hour
    for (const s of SEEDS.filter((x) => x.code !== '5.1.10')) expect(sumOf(t, s.code)).toBe(total(s));
    expect(sumOf(t, '5.1.10')).toBe(total(SEEDS[1]!) + total(SEEDS[3]!)); // merged across tenants
    const legend = await page.locator('#trend-chart .u-legend .u-series .u-label').allTextContents();
    expect(legend).toEqual(expect.arrayContaining(['5.7.509', '5.7.606']));
    // Lines were painted: the canvas holds many pixels of the 5.7.509 series' colour.
    const painted = await page.evaluate((label) => {
      const w = globalThis as unknown as BrowserWindow;
      const c = w.ndrPage.charts.trend!;
      const i = c.series.findIndex((s) => s.label === label);
      const stroke = c.series[i]!.stroke;
      const hex = String(typeof stroke === 'function' ? stroke(c, i) : stroke);
      const [r, g, b] = [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16)) as [number, number, number];
      const canvas = w.document.querySelector('#trend-chart canvas')!;
      const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let k = 0; k < px.length; k += 4)
        if (Math.abs(px[k]! - r) + Math.abs(px[k + 1]! - g) + Math.abs(px[k + 2]! - b) < 60 && px[k + 3]! > 200) n++;
      return n;
    }, '5.7.509');
    expect(painted).toBeGreaterThan(200);

    // The top table: exact counts, the catalogue's title and fix, who acts.
    const dmarc = page.locator('#top tbody tr[data-code="5.7.509"]');
    const x509 = classifier.explain('exo.5.7.509');
    await expect
      .poll(() => dmarc.locator('td').allTextContents())
      .toEqual(['5.7.509', String(total(SEEDS[0]!)), x509.title, "Sender's admin", x509.fix]);
    expect(await page.locator('#top tbody tr[data-code="5.7.606"] td.fix').textContent()).toBe(
      classifier.explain('5.7.606').fix,
    );

    // Open alerts with who must act and the fix; the blocked IP is the one seeded for fabrikam.
    const open = await db.rows<{ rule: string }>(
      `SELECT rule FROM ${db.name}.alerts FINAL WHERE state = 'open' ORDER BY rule`,
    );
    expect(open.map((a) => a.rule)).toEqual(expect.arrayContaining(['blocked_ip', 'blocked_tenant']));
    expect(await page.locator('#alerts > li').count()).toBe(open.length);
    const ip = page.locator('#alerts li[data-rule="blocked_ip"]');
    expect(await ip.locator('.meta').textContent()).toContain(`${FABRIKAM} · IP ${BANNED_IP}`);
    expect(await ip.locator('.who li').allTextContents()).toEqual(["Sender's admin"]);
    expect(await ip.locator('dd.fix').textContent()).toBe(classifier.explain('exo.5.7.606-649').fix);

    // Bounce rate per tenant: failed trace rows over all of them.
    const fab = page.locator('#rate tbody tr', { hasText: FABRIKAM }).locator('td');
    const fabFailed = total(SEEDS[2]!) + total(SEEDS[3]!);
    expect(await fab.allTextContents()).toEqual([
      FABRIKAM,
      (40 * MINUTES + fabFailed).toLocaleString('en-US'),
      String(fabFailed),
      `${((100 * fabFailed) / (40 * MINUTES + fabFailed)).toFixed(1)} %`,
    ]);

    // Hostile names stay text: shown verbatim, nothing injected, nothing run.
    expect(await page.locator('#tenant option').allTextContents()).toContain(HOSTILE);
    expect(await page.locator('#alerts li[data-rule="blocked_tenant"] .meta').textContent()).toContain(HOSTILE);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as BrowserWindow).__xss)).toBeUndefined();

    // Readable at 1280 px: nothing sticks out sideways, long names included.
    expect(
      await page.evaluate(() => (globalThis as unknown as BrowserWindow).document.documentElement.scrollWidth),
    ).toBeLessThanOrEqual(1280);

    const shot = join(tmpdir(), 'ndr-page.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(problems).toEqual([]);
  });

  it('follows the tenant selector and an until= in the address', async (ctx) => {
    if (missing) ctx.skip(missing);
    const before = await loads();
    await page.selectOption('#tenant', FABRIKAM);
    await loaded(before);
    expect(new URL(page.url()).searchParams.get('tenant')).toBe(FABRIKAM);
    expect((await trend())!.labels.sort()).toEqual(['5.1.10', '5.7.606']);
    const fabrikamOpen = await db.rows(
      `SELECT 1 FROM ${db.name}.alerts FINAL WHERE state = 'open' AND tenant = '${FABRIKAM}'`,
    );
    expect(await page.locator('#alerts > li').count()).toBe(fabrikamOpen.length);
    expect(await page.locator('#alerts li[data-rule="blocked_ip"]').count()).toBe(1);

    // Half an hour in: before the IP was banned, so neither its code nor its alert time range shows.
    const until = new Date((START + 30 * 60) * 1000).toISOString();
    await page.goto(`${base}/?until=${encodeURIComponent(until)}&window=1h`);
    await loaded(0);
    expect(await page.locator('#status').textContent()).toContain('up to the time in the address');
    const t = (await trend())!;
    expect(t.labels).not.toContain('5.7.606');
    expect(sumOf(t, '5.7.509')).toBe(total(SEEDS[0]!, 0, 30));
    expect(await page.locator('#top tbody tr[data-code="5.7.606"]').count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
