import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookNotifier, formatBody } from '../src/alerts/webhook.js';
import type { Incident } from '../src/alerts/types.js';

const incident: Incident = {
  incident_key: 'blocked_ip|fabrikam.onmicrosoft.com|203.0.113.7',
  rule: 'blocked_ip',
  severity: 'critical',
  state: 'open',
  tenant: 'fabrikam.onmicrosoft.com',
  ip: '203.0.113.7',
  sender: '',
  code: '5.7.606',
  entry: 'exo.5.7.606-649',
  title: 'Sending IP banned or restricted: Access denied, banned sending IP',
  cause: 'The IP is on the Microsoft block list.',
  fix: 'Delist it at the delist portal after fixing the source of spam.',
  who_acts: ['sender_admin'],
  count: 42,
  opened_at: 1795166040,
  window_start: 1795165920,
  window_end: 1795166040,
  last_seen: 1795166000,
  resolved_at: 0,
  version: 1,
  notified: 0,
  detail: '42 bounces',
};

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function receiver(statuses: number[]): Promise<{ url: string; bodies: unknown[] }> {
  const bodies: unknown[] = [];
  server = createServer((req: IncomingMessage, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      bodies.push(JSON.parse(data));
      res.writeHead(statuses.shift() ?? 200);
      res.end();
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server!.address() as { port: number }).port}/hook`, bodies };
}

describe('webhook notifier', () => {
  it('says who must act and what to do, in each format', () => {
    const json = formatBody(incident, 'json') as Record<string, unknown>;
    expect(json).toMatchObject({
      kind: 'alert',
      tenant: incident.tenant,
      ip: '203.0.113.7',
      code: '5.7.606',
      who_acts: ['sender_admin'],
      count: 42,
    });
    expect(JSON.stringify(formatBody(incident, 'slack'))).toMatch(/Fix:\*.*Delist/);
    const teams = formatBody(incident, 'teams') as { attachments: { contentType: string }[] };
    expect(teams.attachments[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect((formatBody({ ...incident, state: 'resolved' }, 'json') as { kind: string }).kind).toBe('resolved');
  });

  it('retries 5xx and 429, then delivers', async () => {
    const r = await receiver([503, 429, 200]);
    await createWebhookNotifier({ url: r.url, format: 'json', sleep: async () => undefined }).notify(incident);
    expect(r.bodies).toHaveLength(3);
  });

  it('gives up on a 4xx at once and after the retry budget otherwise', async () => {
    const r = await receiver([400]);
    await expect(
      createWebhookNotifier({ url: r.url, format: 'slack', sleep: async () => undefined }).notify(incident),
    ).rejects.toThrow(/HTTP 400/);
    expect(r.bodies).toHaveLength(1);
    const dead = createWebhookNotifier({
      url: 'http://127.0.0.1:9/nothing',
      format: 'json',
      retries: 2,
      sleep: async () => undefined,
    });
    await expect(dead.notify(incident)).rejects.toMatchObject({ attempts: 3 });
  });
});
