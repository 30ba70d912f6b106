/**
 * The incident state machine without a server: a fake ClickHouse client answers the rule queries
 * from a scripted timeline, so flapping, cooldown and resolve behaviour are pinned down exactly.
 */
import { describe, expect, it } from 'vitest';
import type { ClickHouseClient } from '@clickhouse/client';
import { createClassifier, loadCatalog } from '@ndr/classifier';
import { createAlertEngine } from '../src/alerts/engine.js';
import { parseRules } from '../src/alerts/rules.js';
import type { Incident } from '../src/alerts/types.js';

const catalog = loadCatalog();
const rules = parseRules({
  version: 1,
  rules: [
    {
      id: 'blocked_tenant',
      kind: 'tag',
      tag: 'blocked_tenant',
      group_by: 'tenant',
      title: 'Tenant blocked',
      window: '2m',
      resolve_after: '5m',
      cooldown: '30m',
    },
  ],
});

/** Minutes (event time) in which the tenant has 5.7.705 bounces. */
function fakeClient(activeMinutes: Set<number>) {
  const stored: Incident[] = [];
  const client = {
    async query({ query }: { query: string }) {
      const m = /bucket >= toDateTime\((\d+), 'UTC'\) AND bucket < toDateTime\((\d+), 'UTC'\)/.exec(query);
      let rows: unknown[] = [];
      if (m && query.includes('agg_minute')) {
        const [from, to] = [Number(m[1]), Number(m[2])];
        const hits = [...activeMinutes].filter((t) => t >= from && t < to);
        if (hits.length)
          rows = [
            {
              tenant: 'northwind.onmicrosoft.com',
              ip: '',
              first_code: '5.7.705',
              first_entry: 'exo.5.7.705',
              n: 10 * hits.length,
              last: Math.max(...hits),
            },
          ];
      }
      return { json: async () => rows };
    },
    async insert({ values }: { values: Incident[] }) {
      stored.push(...values);
    },
  } as unknown as ClickHouseClient;
  return { client, stored };
}

describe('alert engine', () => {
  it('notifies once per incident, resolves after quiet, and stays silent when it flaps back within the cooldown', async () => {
    const minute = (m: number) => 1_795_000_000 - (1_795_000_000 % 60) + m * 60;
    const active = new Set([0, 1, 2, 3, 20, 21].map(minute)); // blocked, quiet from 4 to 19, back at 20
    const { client, stored } = fakeClient(active);
    const sent: Incident[] = [];
    const engine = createAlertEngine({
      client,
      database: 'ndr',
      catalog,
      classifier: createClassifier(catalog),
      rules,
      notifier: { notify: async (i) => void sent.push(i) },
    });
    for (let m = 1; m <= 25; m++) await engine.evaluate(minute(m));
    expect(sent.map((i) => i.state)).toEqual(['open', 'resolved']);
    expect(engine.open()).toHaveLength(1); // reopened silently at minute 21
    expect(engine.open()[0]?.detail).toMatch(/reopened within the cooldown/);
    expect(stored.map((i) => i.state)).toEqual(['open', 'resolved', 'open']);
    expect(sent[0]).toMatchObject({
      tenant: 'northwind.onmicrosoft.com',
      code: '5.7.705',
      incident_key: 'blocked_tenant|northwind.onmicrosoft.com|',
    });
    expect(sent[0]?.who_acts.length).toBeGreaterThan(0);
  });

  it('notifies again when the incident returns after the cooldown', async () => {
    const minute = (m: number) => 1_795_000_000 - (1_795_000_000 % 60) + m * 60;
    const { client } = fakeClient(new Set([0, 1, 60, 61].map(minute)));
    const sent: Incident[] = [];
    const engine = createAlertEngine({
      client,
      database: 'ndr',
      catalog,
      classifier: createClassifier(catalog),
      rules,
      notifier: { notify: async (i) => void sent.push(i) },
    });
    for (let m = 1; m <= 62; m++) await engine.evaluate(minute(m));
    expect(sent.map((i) => i.state)).toEqual(['open', 'resolved', 'open']);
  });
});
