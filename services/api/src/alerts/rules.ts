/**
 * Alert rules as data: a JSON file validated with zod. The shipped defaults key on the catalogue's
 * alert tags (blocked_tenant, blocked_ip, recipient_blocklist, compromise_signal, dmarc_failure),
 * plus a generic bounce-rate rule; each can be overridden or disabled per tenant.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ALERT_TAGS } from '@ndr/classifier';
import { durationSchema } from '../query.js';

const duration = durationSchema;

const common = {
  id: z.string().regex(/^[a-z0-9_.-]+$/),
  title: z.string().min(3),
  severity: z.enum(['critical', 'warning', 'info']).default('warning'),
  /** Evaluate over this much event time. */
  window: duration.default(120),
  /** No new notification for the same incident key within this time. */
  cooldown: duration.default(1800),
  /** Resolve after this long with nothing matching. */
  resolve_after: duration.default(600),
  enabled: z.boolean().default(true),
  /**
   * Stay quiet while the same tenant has an open incident of any of these rules (`*`: any other rule),
   * like Alertmanager's inhibit rules: a generic symptom adds nothing to a specific cause.
   */
  inhibited_by: z.array(z.string()).default([]),
};

/** Any bounce whose catalogue entry carries `tag`, grouped per tenant (and IP / sender). */
const tagRule = z
  .object({
    ...common,
    kind: z.literal('tag'),
    tag: z.enum(ALERT_TAGS),
    group_by: z.enum(['tenant', 'tenant_ip', 'tenant_sender']),
    min_count: z.number().int().min(1).default(1),
  })
  .strict();

/** A code (or codes with a tag) rising far above its baseline, per tenant or across tenants. */
const spikeRule = z
  .object({
    ...common,
    kind: z.literal('spike'),
    codes: z.array(z.string().regex(/^[245]\.\d{1,3}\.\d{1,3}$/)).default([]),
    tag: z.enum(ALERT_TAGS).optional(),
    per: z.enum(['tenant', 'global']).default('tenant'),
    baseline: duration.default(10_800),
    min_per_minute: z.number().min(0).default(20),
    z: z.number().positive().default(6),
    ratio: z.number().min(1).default(5),
  })
  .strict()
  .refine((r) => r.codes.length > 0 || r.tag !== undefined, 'a spike rule needs codes or a tag');

/** Failed messages over X% of at least N messages in the window, per tenant. */
const rateRule = z
  .object({
    ...common,
    kind: z.literal('bounce_rate'),
    threshold: z.number().gt(0).lt(1),
    min_messages: z.number().int().min(1).default(100),
  })
  .strict();

export const ruleSchema = z.discriminatedUnion('kind', [tagRule, spikeRule, rateRule]);
export type Rule = z.infer<typeof ruleSchema>;

export const rulesFileSchema = z
  .object({
    version: z.literal(1),
    rules: z.array(ruleSchema).min(1),
    /** Per-tenant overrides: disable rules or change their numbers. */
    tenants: z
      .record(
        z.string(),
        z
          .object({
            disable: z.array(z.string()).default([]),
            overrides: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
          })
          .strict(),
      )
      .default({}),
  })
  .strict()
  .superRefine((f, ctx) => {
    const ids = new Set<string>();
    for (const r of f.rules) {
      if (ids.has(r.id)) ctx.addIssue({ code: 'custom', message: `duplicate rule id ${r.id}` });
      ids.add(r.id);
    }
    for (const [tenant, t] of Object.entries(f.tenants)) {
      for (const id of [...t.disable, ...Object.keys(t.overrides)]) {
        if (!ids.has(id)) ctx.addIssue({ code: 'custom', path: ['tenants', tenant], message: `unknown rule id ${id}` });
      }
    }
  });
export type RulesFile = z.infer<typeof rulesFileSchema>;

/** The shipped defaults. */
export const DEFAULT_RULES_INPUT = {
  version: 1,
  rules: [
    {
      id: 'blocked_tenant',
      kind: 'tag',
      tag: 'blocked_tenant',
      group_by: 'tenant',
      title: 'Tenant blocked from sending',
      severity: 'critical',
    },
    {
      id: 'blocked_ip',
      kind: 'tag',
      tag: 'blocked_ip',
      group_by: 'tenant_ip',
      title: 'Sending IP banned or restricted',
      severity: 'critical',
    },
    {
      id: 'recipient_blocklist',
      kind: 'tag',
      tag: 'recipient_blocklist',
      group_by: 'tenant',
      title: "On a recipient's block list",
      severity: 'warning',
      min_count: 3,
    },
    {
      id: 'compromised_sender',
      kind: 'tag',
      tag: 'compromise_signal',
      group_by: 'tenant_sender',
      title: 'Sender looks compromised',
      severity: 'critical',
    },
    {
      id: 'dmarc_spike',
      kind: 'spike',
      codes: ['5.7.509'],
      per: 'tenant',
      title: 'DMARC failures (5.7.509) spiking',
      severity: 'warning',
    },
    {
      id: 'bounce_rate',
      kind: 'bounce_rate',
      threshold: 0.2,
      min_messages: 100,
      window: '15m',
      title: 'Bounce rate above 20%',
      severity: 'warning',
      // A tenant's bounce rate rises with any specific incident (blocked tenant, DMARC spike …): do not echo it.
      inhibited_by: ['*'],
    },
  ],
} as const;

export function parseRules(input: unknown, source = 'rules'): RulesFile {
  const r = rulesFileSchema.safeParse(input);
  if (!r.success) {
    throw new Error(
      `${source} is invalid:\n  - ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('\n  - ')}`,
    );
  }
  return r.data;
}

export function loadRules(path?: string): RulesFile {
  if (!path) return parseRules(DEFAULT_RULES_INPUT, 'default rules');
  return parseRules(JSON.parse(readFileSync(path, 'utf8')), path);
}

/** The rule as it applies to one tenant, or null when that tenant disabled it. */
export function ruleForTenant(file: RulesFile, rule: Rule, tenant: string): Rule | null {
  const t = file.tenants[tenant];
  if (!rule.enabled || t?.disable.includes(rule.id)) return null;
  const o = t?.overrides[rule.id];
  return o ? ruleSchema.parse({ ...rawOf(rule), ...o }) : rule;
}

/** Durations are parsed to seconds; overrides are merged into the seconds form. */
function rawOf(rule: Rule): Record<string, unknown> {
  const { window, cooldown, resolve_after, ...rest } = rule as Rule & { baseline?: number };
  const out: Record<string, unknown> = {
    ...rest,
    window: `${window}s`,
    cooldown: `${cooldown}s`,
    resolve_after: `${resolve_after}s`,
  };
  if ('baseline' in rule) out.baseline = `${rule.baseline}s`;
  return out;
}
