/**
 * Delivers incidents to a webhook: our own JSON, or Slack- or Teams-compatible bodies. Retries
 * with jittered exponential backoff on network errors, 429 and 5xx; a 4xx other than 429 is final.
 */
import type { Notifier } from './engine.js';
import type { Incident } from './types.js';

export type WebhookFormat = 'json' | 'slack' | 'teams';

export interface WebhookOptions {
  readonly url: string;
  readonly format: WebhookFormat;
  readonly retries?: number;
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly timeoutMs?: number;
  readonly headers?: Record<string, string>;
  readonly sleep?: (ms: number) => Promise<void>;
}

const iso = (s: number) => (s ? new Date(s * 1000).toISOString() : null);

/** The JSON body of the generic format: everything an on-call person needs to act. */
export function alertPayload(i: Incident) {
  return {
    kind: i.state === 'open' ? 'alert' : 'resolved',
    incident_key: i.incident_key,
    rule: i.rule,
    severity: i.severity,
    title: i.title,
    tenant: i.tenant,
    ip: i.ip || null,
    sender: i.sender || null,
    code: i.code || null,
    catalogue_entry: i.entry || null,
    cause: i.cause,
    fix: i.fix,
    who_acts: i.who_acts,
    count: i.count,
    window: { start: iso(i.window_start), end: iso(i.window_end) },
    opened_at: iso(i.opened_at),
    resolved_at: iso(i.resolved_at),
    detail: i.detail,
  };
}

function summary(i: Incident): string {
  const who = [i.tenant, i.ip && `IP ${i.ip}`, i.sender && `sender ${i.sender}`, i.code && `code ${i.code}`]
    .filter(Boolean)
    .join(', ');
  return i.state === 'open' ? `${i.severity.toUpperCase()}: ${i.title} (${who})` : `RESOLVED: ${i.title} (${who})`;
}

export function formatBody(i: Incident, format: WebhookFormat): unknown {
  if (format === 'json') return alertPayload(i);
  const lines = [
    `*Tenant:* ${i.tenant}${i.ip ? `  *IP:* ${i.ip}` : ''}${i.sender ? `  *Sender:* ${i.sender}` : ''}${i.code ? `  *Code:* ${i.code}` : ''}`,
    `*Count:* ${i.count} in ${iso(i.window_start)} – ${iso(i.window_end)}`,
    `*Cause:* ${i.cause}`,
    `*Fix:* ${i.fix}`,
    `*Who acts:* ${i.who_acts.join(', ') || 'n/a'}`,
  ];
  if (format === 'slack') {
    return {
      text: summary(i),
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: summary(i).slice(0, 150) } },
        { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: `incident \`${i.incident_key}\` · ${i.detail}` }] },
      ],
    };
  }
  // Teams: an Adaptive Card in a message attachment (Workflows / incoming webhook).
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: {
          type: 'AdaptiveCard',
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          version: '1.4',
          body: [
            { type: 'TextBlock', size: 'Large', weight: 'Bolder', wrap: true, text: summary(i) },
            ...lines.map((l) => ({ type: 'TextBlock', wrap: true, text: l.replace(/\*/g, '**') })),
          ],
        },
      },
    ],
  };
}

export class WebhookError extends Error {
  override readonly name = 'WebhookError';
  constructor(
    message: string,
    readonly status: number | null,
    readonly attempts: number,
  ) {
    super(message);
  }
}

export function createWebhookNotifier(opts: WebhookOptions): Notifier {
  const retries = opts.retries ?? 5;
  const initial = opts.initialDelayMs ?? 500;
  const max = opts.maxDelayMs ?? 15_000;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return {
    async notify(i) {
      const body = JSON.stringify(formatBody(i, opts.format));
      let last = '';
      let status: number | null = null;
      for (let attempt = 1; attempt <= retries + 1; attempt++) {
        try {
          const res = await fetch(opts.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...opts.headers },
            body,
            signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
          });
          status = res.status;
          await res.arrayBuffer().catch(() => undefined);
          if (res.ok) return;
          last = `HTTP ${res.status}`;
          if (res.status < 500 && res.status !== 429) break; // the receiver refuses this body: final
        } catch (err) {
          last = err instanceof Error ? err.message : String(err);
          status = null;
        }
        if (attempt <= retries) await sleep(Math.round(Math.random() * Math.min(max, initial * 2 ** (attempt - 1))));
      }
      throw new WebhookError(`webhook ${opts.url} failed: ${last}`, status, retries + 1);
    },
  };
}
