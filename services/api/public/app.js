/* global window, document, location, history, fetch, Option, URLSearchParams, requestAnimationFrame, setInterval, uPlot */
/**
 * The built-in page: vanilla JS over the JSON API, charts drawn by uPlot (served by the API, no CDN).
 * Everything that comes from the API reaches the DOM as text (textContent, text nodes, attributes),
 * never as HTML. The page's state lives in the address (?tenant=&window=&until=), so a view can be shared.
 */

const WINDOWS = {
  '1h': 'the last hour',
  '6h': 'the last 6 hours',
  '24h': 'the last 24 hours',
  '7d': 'the last 7 days',
};
const DEFAULT_WINDOW = '6h';
/** Data older than this (seconds behind the server clock) is shown up to its watermark, not up to now. */
const LIVE_SLACK_S = 300;
const REFRESH_MS = 60_000;
const CHART_HEIGHT = 300;
// Okabe-Ito based, distinguishable with the common colour-vision deficiencies.
const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#882255', '#332288'];
const ACTORS = {
  sender: 'Sender',
  sender_admin: "Sender's admin",
  recipient_admin: "Recipient's admin",
  microsoft_support: 'Microsoft support',
};
const SEVERITIES = ['critical', 'warning', 'info'];

const $ = (id) => document.getElementById(id);
const state = { tenant: '', window: DEFAULT_WINDOW, until: null, live: true };
const charts = { trend: null, rate: null };
let generation = 0;
/** For tests and debugging: the uPlot instances and whether the last load finished. */
window.ndrPage = { charts, state, loads: 0 };

/** An element with text children (strings become text nodes, never markup). */
function h(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

const pad = (n) => String(n).padStart(2, '0');
/** Epoch seconds → `2026-11-20 08:05 UTC`. */
function utc(sec) {
  const d = new Date(sec * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}
/** A stored DateTime (`2026-11-20 08:05:00`, UTC) or epoch seconds → `2026-11-20 08:05 UTC`. */
const storedTime = (v) => (typeof v === 'number' ? utc(v) : `${String(v).slice(0, 16)} UTC`);
const count = (n) => Number(n).toLocaleString('en-US');
const percent = (x) => `${(100 * x).toFixed(1)} %`;

function readAddress() {
  const p = new URLSearchParams(location.search);
  state.tenant = (p.get('tenant') ?? '').trim().toLowerCase();
  const w = p.get('window') ?? DEFAULT_WINDOW;
  state.window = Object.hasOwn(WINDOWS, w) ? w : DEFAULT_WINDOW;
  state.until = p.get('until') || null;
}

function writeAddress() {
  const p = new URLSearchParams();
  if (state.tenant) p.set('tenant', state.tenant);
  if (state.window !== DEFAULT_WINDOW) p.set('window', state.window);
  if (state.until) p.set('until', state.until);
  const q = p.toString();
  history.replaceState(null, '', q ? `?${q}` : location.pathname);
}

async function api(path, params = {}) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const detail = typeof body?.detail === 'string' ? body.detail : JSON.stringify(body?.detail ?? '');
    throw new Error(`${path} answered ${res.status}: ${body?.error ?? ''} ${detail}`.trim());
  }
  return body;
}

/**
 * Where the window ends: `until` from the address; otherwise the data's watermark when the newest data
 * is older than now (a replay, synthetic or stopped traffic); otherwise now.
 */
async function windowEnd() {
  if (state.until === 'now') return { until: undefined, why: 'live' };
  if (state.until) return { until: state.until, why: 'address' };
  const w = await api('/api/watermark');
  if (w.watermark !== null && w.watermark + 60 < w.now - LIVE_SLACK_S)
    return { until: String(w.watermark + 60), why: 'watermark', watermark: w.watermark };
  return { until: undefined, why: 'live' };
}

async function loadTenants() {
  const { tenants } = await api('/api/tenants');
  const select = $('tenant');
  const names = tenants.map((t) => t.tenant);
  if (state.tenant && !names.includes(state.tenant)) names.push(state.tenant);
  select.replaceChildren(new Option('All tenants', ''), ...names.map((t) => new Option(t, t)));
  select.value = state.tenant;
}

async function load() {
  const gen = ++generation;
  const main = $('main');
  main.setAttribute('aria-busy', 'true');
  try {
    const end = await windowEnd();
    const q = { since: state.window, until: end.until, tenant: state.tenant || undefined };
    const [trends, top, rate, alerts] = await Promise.all([
      api('/api/trends', { ...q, by: 'code', limit: 8 }),
      api('/api/top', { ...q, by: 'code', limit: 10 }),
      api('/api/rate', { ...q, by: 'tenant' }),
      api('/api/alerts', { state: 'open', tenant: q.tenant }),
    ]);
    if (gen !== generation) return; // a newer selection is loading
    state.live = end.why === 'live';
    renderStatus(end, trends.query);
    renderAlerts(alerts.alerts);
    renderTrend(trends);
    renderTop(top.rows);
    renderRate(rate);
    $('error').hidden = true;
    window.ndrPage.loads++;
  } catch (err) {
    if (gen !== generation) return;
    $('error').textContent = `Could not load the figures: ${err instanceof Error ? err.message : String(err)}`;
    $('error').hidden = false;
    $('status').textContent = 'Loading failed.';
  } finally {
    if (gen === generation) main.setAttribute('aria-busy', 'false');
  }
}

function renderStatus(end, query) {
  const span = `${utc(query.from)} – ${utc(query.to)}`;
  const who = state.tenant ? `tenant ${state.tenant}` : 'all tenants';
  const text = {
    live: `Showing ${WINDOWS[state.window]} for ${who}: ${span}. Refreshes every minute.`,
    watermark: `Showing ${WINDOWS[state.window]} of data for ${who}: ${span}. The newest data is from ${
      end.watermark ? utc(end.watermark) : ''
    }, older than now, so the window ends there.`,
    address: `Showing ${WINDOWS[state.window]} for ${who} up to the time in the address: ${span}.`,
  }[end.why];
  $('status').textContent = text;
  $('live').hidden = end.why === 'live';
}

function renderAlerts(list) {
  $('alerts-count').textContent = list.length ? `(${list.length})` : '';
  $('alerts-empty').hidden = list.length > 0;
  $('alerts').replaceChildren(
    ...list.map((a) => {
      const severity = SEVERITIES.includes(a.severity) ? a.severity : 'warning';
      const subject = [a.tenant, a.ip && `IP ${a.ip}`, a.sender && `sender ${a.sender}`, a.code && `code ${a.code}`];
      const facts = [
        `${count(a.count)} messages in the window`,
        `opened ${storedTime(a.opened_at)}`,
        `last seen ${storedTime(a.last_seen)}`,
      ];
      const details = h('dl', null, h('dt', null, 'Who must act'), h('dd', null, whoActs(a.who_acts)));
      details.append(h('dt', null, 'Fix'), h('dd', 'fix', a.fix || '—'));
      if (a.cause) details.append(h('dt', null, 'Cause'), h('dd', null, a.cause));
      if (a.detail) details.append(h('dt', null, 'Why it fired'), h('dd', null, a.detail));
      const li = h(
        'li',
        `alert ${severity}`,
        h('h3', null, h('span', 'severity', severity), h('span', 'title', a.title || a.rule)),
        h('p', 'meta', [...subject.filter(Boolean), ...facts].join(' · ')),
        details,
      );
      li.dataset.rule = a.rule;
      return li;
    }),
  );
}

function whoActs(list) {
  if (!list || list.length === 0) return '—';
  return h('ul', 'who', ...list.map((w) => h('li', null, ACTORS[w] ?? w)));
}

/** A fresh chart (uPlot sizes itself once; data and series change with every load). */
function draw(name, el, opts, data) {
  clear(name, el);
  charts[name] = new uPlot({ ...opts, width: Math.max(320, el.clientWidth - 10), height: CHART_HEIGHT }, data, el);
}

function clear(name, el) {
  charts[name]?.destroy();
  charts[name] = null;
  el.replaceChildren();
}

/** Time-axis labels in UTC, 24-hour clock; the date under the first label and wherever the day changes. */
function timeLabels(_u, ticks) {
  let day = '';
  return ticks.map((t) => {
    const d = new Date(t * 1000);
    const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
    const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    if (date === day) return hm;
    day = date;
    return `${hm}\n${date}`;
  });
}

function baseOptions(yLabel, yValue) {
  const axis = { stroke: '#57606a', grid: { stroke: '#eaeef2' }, ticks: { stroke: '#d0d7de' } };
  return {
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
    axes: [
      { ...axis, values: timeLabels, size: 52 },
      { ...axis, label: yLabel, size: 64, values: (_u, ticks) => ticks.map(yValue) },
    ],
    cursor: { drag: { x: false, y: false } },
  };
}

function renderTrend({ series }) {
  const el = $('trend-chart');
  el.hidden = series.length === 0;
  $('trend-empty').hidden = series.length > 0;
  $('trend-summary').textContent = series.length
    ? `Bounced messages in the window per code: ${series.map((s) => `${s.key || 'no code'} ${s.total}`).join(', ')}.`
    : '';
  if (series.length === 0) return clear('trend', el);
  const xs = series[0].points.map((p) => p.t);
  const data = [xs, ...series.map((s) => s.points.map((p) => p.bounced))];
  draw(
    'trend',
    el,
    {
      ...baseOptions('bounced messages', (v) => count(v)),
      series: [
        { label: 'Time (UTC)' },
        ...series.map((s, i) => ({
          label: s.key || '(no code)',
          stroke: PALETTE[i % PALETTE.length],
          width: 2,
          points: { show: xs.length <= 30 },
        })),
      ],
    },
    data,
  );
}

function renderTop(rows) {
  $('top-empty').hidden = rows.length > 0;
  $('top').hidden = rows.length === 0;
  $('top').tBodies[0].replaceChildren(
    ...rows.map((r) => {
      const tr = h(
        'tr',
        null,
        h('td', 'code', r.key || '(no code)'),
        h('td', 'num', count(r.bounced)),
        h('td', 'title', r.title ?? '—'),
        h('td', null, whoActs(r.who_acts)),
        h('td', 'fix', r.fix ?? '—'),
      );
      tr.dataset.code = r.key;
      return tr;
    }),
  );
}

function renderRate({ query, points }) {
  const step = query.stepSeconds;
  const xs = [];
  for (let t = Math.floor(query.from / step) * step; t < query.to; t += step) xs.push(t);
  const byKey = new Map();
  for (const p of points) {
    const k = byKey.get(p.key) ?? { key: p.key, messages: 0, failed: 0, at: new Map() };
    k.messages += p.messages;
    k.failed += p.failed;
    k.at.set(p.t, p);
    byKey.set(p.key, k);
  }
  // Trace rows count in their Received minute only, so per-step counts add up over the window exactly.
  const keys = [...byKey.values()].sort(
    (a, b) => b.failed / b.messages - a.failed / a.messages || b.messages - a.messages,
  );
  const el = $('rate-chart');
  el.hidden = keys.length === 0;
  $('rate').hidden = keys.length === 0;
  $('rate-empty').hidden = keys.length > 0;
  $('rate-summary').textContent = keys
    .map((k) => `${k.key}: ${percent(k.failed / k.messages)} of ${k.messages} messages failed`)
    .join('; ');
  $('rate').tBodies[0].replaceChildren(
    ...keys.map((k) =>
      h(
        'tr',
        null,
        h('td', null, k.key),
        h('td', 'num', count(k.messages)),
        h('td', 'num', count(k.failed)),
        h('td', 'num', percent(k.failed / k.messages)),
      ),
    ),
  );
  if (keys.length === 0) return clear('rate', el);
  const shown = keys.slice(0, PALETTE.length);
  const data = [xs, ...shown.map((k) => xs.map((t) => (k.at.get(t)?.messages ? 100 * k.at.get(t).rate : null)))];
  draw(
    'rate',
    el,
    {
      ...baseOptions('bounce rate', (v) => `${v} %`),
      series: [
        { label: 'Time (UTC)' },
        ...shown.map((k, i) => ({
          label: k.key,
          stroke: PALETTE[i % PALETTE.length],
          width: 2,
          spanGaps: false,
          value: (_u, v) => (v === null || v === undefined ? '—' : `${v.toFixed(1)} %`),
        })),
      ],
    },
    data,
  );
}

function resizeCharts() {
  for (const [name, chart] of Object.entries(charts)) {
    const el = $(`${name}-chart`);
    if (chart && !el.hidden) chart.setSize({ width: Math.max(320, el.clientWidth - 10), height: CHART_HEIGHT });
  }
}

function start() {
  readAddress();
  $('window').value = state.window;
  $('tenant').addEventListener('change', (e) => {
    state.tenant = e.target.value;
    writeAddress();
    void load();
  });
  $('window').addEventListener('change', (e) => {
    state.window = e.target.value;
    writeAddress();
    void load();
  });
  $('controls').addEventListener('submit', (e) => {
    e.preventDefault();
    void loadTenants().catch(() => undefined);
    void load();
  });
  $('live').addEventListener('click', () => {
    state.until = 'now';
    writeAddress();
    void load();
  });
  let pending = false;
  window.addEventListener('resize', () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      resizeCharts();
    });
  });
  setInterval(() => {
    if (state.live && document.visibilityState === 'visible') void load();
  }, REFRESH_MS);
  loadTenants().catch((err) => {
    $('error').textContent = `Could not list the tenants: ${err.message}`;
    $('error').hidden = false;
  });
  void load();
}

start();
