/**
 * The alerting loop: evaluate every rule at `now`, turn findings into incidents, notify once per
 * incident (open), once when it clears (resolve), and store every state change in ClickHouse.
 * Open incidents are reloaded from the store at start, so a restart does not notify them again.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Catalog, Classifier } from '@ndr/classifier';
import { identifier, queryRows, raw, sql } from '@ndr/clickhouse';
import { evaluateRule } from './evaluate.js';
import { ruleForTenant, type Rule, type RulesFile } from './rules.js';
import { incidentKey, type Finding, type Incident } from './types.js';

export interface Notifier {
  /** Resolves once delivered (it retries itself); rejects when it gave up. */
  notify(incident: Incident): Promise<void>;
}

export interface EngineDeps {
  readonly client: ClickHouseClient;
  readonly database: string;
  readonly catalog: Catalog;
  readonly classifier: Classifier;
  readonly rules: RulesFile;
  readonly notifier: Notifier;
  readonly log?: {
    info(o: object, m: string): void;
    warn(o: object, m: string): void;
    error(o: object, m: string): void;
  };
  readonly nowMs?: () => number;
}

export interface AlertEngine {
  /** Loads open incidents from the store. Call once before the first evaluation. */
  init(): Promise<void>;
  /** One evaluation at event time `now` (epoch seconds). Returns the incidents that changed state. */
  evaluate(now: number): Promise<Incident[]>;
  open(): Incident[];
}

export function createAlertEngine(deps: EngineDeps): AlertEngine {
  const db = identifier(deps.database).text;
  const nowMs = deps.nowMs ?? Date.now;
  const openByKey = new Map<string, Incident>();
  const ctx = { client: deps.client, database: deps.database, catalog: deps.catalog };

  async function store(i: Incident): Promise<void> {
    await deps.client.insert({ table: `${db}.alerts`, values: [i], format: 'JSONEachRow' });
  }

  async function deliver(i: Incident): Promise<void> {
    try {
      await deps.notifier.notify(i);
      i.notified = 1;
    } catch (err) {
      deps.log?.error(
        { err, incident: i.incident_key, state: i.state },
        'alert could not be delivered; will retry on the next evaluation',
      );
    }
    i.version = nowMs();
    await store({ ...i });
  }

  /** Evaluates a rule for every tenant, honouring per-tenant overrides and disables. */
  async function findingsFor(rule: Rule, now: number): Promise<Finding[]> {
    const special = Object.keys(deps.rules.tenants);
    const base = (await evaluateRule(ctx, rule, now)).filter((f) => !special.includes(f.tenant));
    const extra: Finding[] = [];
    for (const tenant of special) {
      const r = ruleForTenant(deps.rules, rule, tenant);
      if (!r) continue;
      extra.push(...(await evaluateRule(ctx, r, now)).filter((f) => f.tenant === tenant));
    }
    return [...base, ...extra];
  }

  /** Resolved incidents, kept for inhibition while their activity is still inside a rule's window. */
  const recentlyResolved: Incident[] = [];

  /**
   * A new incident of `rule` is suppressed while the tenant has an open incident of an inhibiting rule,
   * or had one whose activity still falls inside `rule`'s window (its symptom would only echo the cause).
   */
  function inhibited(rule: Rule, tenant: string, now: number): boolean {
    if (rule.inhibited_by.length === 0) return false;
    const inhibits = (i: Incident) =>
      i.tenant === tenant &&
      i.rule !== rule.id &&
      (rule.inhibited_by.includes('*') || rule.inhibited_by.includes(i.rule));
    for (const i of openByKey.values()) if (inhibits(i)) return true;
    return recentlyResolved.some((i) => inhibits(i) && i.last_seen >= now - rule.window);
  }

  function explain(f: Finding) {
    const x = f.entry ? deps.classifier.explain(f.entry) : f.code ? deps.classifier.explain(f.code) : null;
    return x?.entry ? { title: x.title, cause: x.cause, fix: x.fix, who_acts: [...x.who_acts] } : null;
  }

  return {
    async init() {
      // The newest state of every incident of the last day, DateTimes as epoch seconds like the engine keeps them.
      const stored = await queryRows<Incident>(
        deps.client,
        `SELECT incident_key, rule, severity, state, tenant, ip, sender, code, entry, title, cause, fix, who_acts,
                  count, version, notified, detail, toUInt32(opened_at) AS opened_at, toUInt32(window_start) AS window_start,
                  toUInt32(window_end) AS window_end, toUInt32(last_seen) AS last_seen, toUInt32(resolved_at) AS resolved_at
                FROM ${db}.alerts FINAL
                WHERE state = 'open' OR resolved_at >= (SELECT max(resolved_at) FROM ${db}.alerts) - 86400
                ORDER BY last_seen`,
      );
      for (const i of stored) {
        if (i.state === 'open') openByKey.set(i.incident_key, i);
        else recentlyResolved.push(i); // still inhibits while its activity is inside a rule's window
      }
      deps.log?.info({ open: openByKey.size }, 'loaded open incidents');
    },
    open: () => [...openByKey.values()],
    async evaluate(now) {
      const changed: Incident[] = [];
      const seen = new Set<string>();
      // Forget resolved incidents once they can neither inhibit (window) nor flap back (cooldown).
      const longestWindow = Math.max(...deps.rules.rules.map((r) => r.window));
      const longestCooldown = Math.max(...deps.rules.rules.map((r) => r.cooldown));
      for (let i = recentlyResolved.length - 1; i >= 0; i--) {
        const r = recentlyResolved[i] as Incident;
        if (r.last_seen < now - longestWindow && r.resolved_at < now - longestCooldown) recentlyResolved.splice(i, 1);
      }
      for (const rule of deps.rules.rules) {
        if (!rule.enabled) continue;
        for (const f of await findingsFor(rule, now)) {
          const key = incidentKey(f);
          const cur = openByKey.get(key);
          if (!cur && inhibited(rule, f.tenant, now)) continue;
          seen.add(key);
          if (cur) {
            cur.count = Math.max(cur.count, f.count);
            cur.last_seen = Math.max(cur.last_seen, f.last_seen);
            cur.window_end = f.window_end;
            if (!cur.notified) await deliver(cur); // an earlier delivery failed: try again
            continue;
          }
          // Flapping: the same incident resolved less than `cooldown` ago comes back without a new notification.
          const flap = recentlyResolved.find((i) => i.incident_key === key && now - i.resolved_at < rule.cooldown);
          if (flap) {
            const reopened: Incident = {
              ...flap,
              state: 'open',
              resolved_at: 0,
              count: f.count,
              last_seen: f.last_seen,
              window_end: f.window_end,
              notified: 1,
              version: nowMs(),
              detail: `${f.detail} (reopened within the cooldown; not notified again)`,
            };
            recentlyResolved.splice(recentlyResolved.indexOf(flap), 1);
            openByKey.set(key, reopened);
            await store({ ...reopened });
            continue;
          }
          const info = explain(f);
          const incident: Incident = {
            incident_key: key,
            rule: rule.id,
            severity: rule.severity,
            state: 'open',
            tenant: f.tenant,
            ip: f.ip,
            sender: f.sender,
            code: f.code,
            entry: f.entry,
            title: `${rule.title}${info ? `: ${info.title}` : ''}`,
            cause: info?.cause ?? f.detail,
            fix: info?.fix ?? 'See the bounce trends for this tenant and the catalogue entry of the code.',
            who_acts: info?.who_acts ?? [],
            count: f.count,
            opened_at: now,
            window_start: f.window_start,
            window_end: f.window_end,
            last_seen: f.last_seen,
            resolved_at: 0,
            version: nowMs(),
            notified: 0,
            detail: f.detail,
          };
          openByKey.set(key, incident);
          await deliver(incident);
          changed.push(incident);
        }
      }
      for (const [key, cur] of openByKey) {
        if (seen.has(key)) continue;
        const rule = deps.rules.rules.find((r) => r.id === cur.rule);
        const quietFor = rule?.resolve_after ?? 600;
        if (now - cur.last_seen < quietFor) continue;
        const resolved: Incident = { ...cur, state: 'resolved', resolved_at: now, notified: 0, version: nowMs() };
        openByKey.delete(key);
        recentlyResolved.push(resolved);
        await deliver(resolved);
        changed.push(resolved);
      }
      return changed;
    },
  };
}

/** The newest event time the aggregates have seen (the event-time watermark), epoch seconds. */
export async function dataWatermark(client: ClickHouseClient, database: string): Promise<number> {
  const rs = await client.query({
    query: sql`SELECT toUInt32(max(bucket)) AS t FROM ${raw(identifier(database).text)}.agg_minute`.text,
    format: 'JSONEachRow',
  });
  const [r] = await rs.json<{ t: number }>();
  return Number(r?.t ?? 0);
}

/**
 * Evaluates minute by minute over a span of event time, as a live process would have: used to
 * backtest rules on history (`ndr alerts replay`) and by the demo, whose traffic is generated.
 */
export async function replayAlerts(
  engine: AlertEngine,
  from: number,
  to: number,
  stepSeconds = 60,
): Promise<Incident[]> {
  const changed: Incident[] = [];
  for (let t = Math.ceil(from / stepSeconds) * stepSeconds; t <= to; t += stepSeconds)
    changed.push(...(await engine.evaluate(t)));
  return changed;
}
