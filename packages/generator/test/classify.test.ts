/**
 * The codes the ground truth counts under are written by hand in the reply templates; here the real
 * classifier (catalog/) must read the same code from every template, however it is wrapped, and from
 * every bounce record the generator makes.
 */
import { describe, expect, it } from 'vitest';
import { ALL_REPLIES, createGenerator, type ReplyContext } from '@ndr/generator';
import { isBounce } from '@ndr/writer';
import { classifier, decodeAll } from './helpers.js';

const ctx: ReplyContext = {
  rcpt: 'anna.berg@adatum.com',
  senderDomain: 'contoso.com',
  clientIp: '198.51.100.77',
  host: 'adatum-com.mail.protection.outlook.com',
  hostIp: '203.0.113.5',
  stamp: '[AM4PEPF00027A5F.eurprd04.prod.outlook.com 2026-11-20T09:14:07.498Z 08DF27A19C42B7E1]',
  gid: 'd75a77b69052e-4b0f1a2c3d4si1234567qtb.45',
  mta: 4012,
};

describe('reply templates', () => {
  it.each(ALL_REPLIES.map((r) => [r.id, r] as const))(
    '%s reads as its intended code in every wrapping',
    (_id, reply) => {
      const text = reply.text(ctx);
      const hint = { statusCode: `${reply.reply} ${reply.status}` };
      const wrappings = [
        `Reason: [{LED=${text}};{MSG=};{FQDN=${ctx.host}};{IP=${ctx.hostIp}};{LRT=11/20/2026 9:14:07 AM}]. OutboundProxyTargetIP: ${ctx.hostIp}. OutboundProxyTargetHostName: ${ctx.host}`,
        `Reason: [{LED=${text}};{MSG=};{FQDN=};{IP=};{LRT=}]`,
        `The message was deferred. ${text}`,
        `smtp;${text}`,
        `SMTP; ${text}`,
      ];
      for (const w of wrappings) {
        const c = classifier.classify(w, hint);
        expect(c.code, w).toBe(reply.code);
        expect(c.class === 'success', w).toBe(!reply.bounce);
      }
      // The DSN's Status field is the hint for NDRs.
      expect(classifier.classify(`smtp;${text}`, { statusCode: reply.status }).code).toBe(reply.code);
    },
  );

  it('uses catalogue texts: the DMARC, banned-IP and tenant-block replies land on their own entries', () => {
    const entry = (id: string) => classifier.classify(ALL_REPLIES.find((r) => r.id === id)!.text(ctx)).entry;
    expect(entry('eop-5.7.509')).toBe('exo.5.7.509');
    expect(entry('eop-5.7.627')).toBe('exo.5.7.606-649');
    expect(entry('outlook-5.7.1-S3150')).toBe('exo.5.7.1.ip_blocklisted');
    expect(entry('exo-5.7.705')).toBe('exo.5.7.705');
    expect(entry('exo-5.7.708')).toBe('exo.5.7.708');
    expect(entry('exo-5.7.750')).toBe('exo.5.7.750');
    expect(entry('exo-5.1.10')).toBe('exo.5.1.10');
  });
});

describe('bounce records', () => {
  const { decoded } = decodeAll(createGenerator({ events: 30_000, seed: 13, annotate: true }));

  it('classify to the code the ground truth counts them under, and are bounces exactly when it says so', () => {
    let checked = 0;
    for (const { rec, event, c } of decoded) {
      if (event.schema === 'message_trace') continue;
      const intended = rec.note!.code;
      expect(isBounce(event, c), `${rec.note!.reply} ${event.status}`).toBe(intended !== undefined);
      if (intended !== undefined) {
        expect(c.code, event.diagnostic ?? '').toBe(intended);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('covers Gmail, Yahoo, Outlook.com, Postfix/Sendmail and Exchange wordings', () => {
    const ids = new Set(decoded.map((d) => d.rec.note!.reply).filter(Boolean));
    for (const id of [
      'gmail-5.1.1',
      'yahoo-5.0.0',
      'outlook-5.5.0',
      'postfix-5.1.1',
      'late-5.2.2',
      'exo-5.1.10',
      'eop-5.7.509',
      'refused-4.4.316',
      'dsn-delay-4.4.7',
      'dl-2.1.5',
    ]) {
      expect(ids.has(id), id).toBe(true);
    }
  });
});
