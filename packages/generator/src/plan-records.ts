/**
 * From one message's recipient outcomes to its records: trace-row versions (first `GettingStatus` /
 * `Pending`, the final status later in the stream), detail events (Receive … Fail/Defer/Deliver), NDRs
 * (Exchange's failure and delay notices, remote late bounces, positive `relayed` DSNs), the NDR's own
 * trace row, and re-emitted duplicates. Times are epoch ms; `delay` is in messages of stream position.
 */
import type { Outcome } from './outcomes.js';
import type { ResolvedOptions } from './options.js';
import type { Rng } from './random.js';
import { REPLIES, type ReplyTemplate } from './replies.js';
import type { DetailEvent, Message, NdrRec, Rec, TraceStatus } from './types.js';

export interface BuildContext {
  rng: Rng;
  o: ResolvedOptions;
  /** In the last few minutes of the range: some rows are never polled again after GettingStatus. */
  tail: boolean;
  guid(): string;
}

const SECOND = 1000;
const MINUTE = 60_000;

export function buildRecords(msg: Message, outcomes: readonly Outcome[], ctx: BuildContext): void {
  const { rng, o } = ctx;
  const recs: Rec[] = msg.recs;
  const internalSender = msg.direction !== 'inbound';
  const submits = msg.direction !== 'inbound' && msg.fromIp === '';

  for (let r = 0; r < outcomes.length; r++) {
    const out = outcomes[r]!;
    const finalDelay = rng.between(30, 500);
    let seqNo = 0;
    const trace = (status: TraceStatus, delay: number) => recs.push({ kind: 'trace', r, status, delay, dup: -1 });
    const detail = (event: DetailEvent, t: number, reply: ReplyTemplate | null, delay = 0) =>
      recs.push({ kind: 'detail', r, event, t, reply, seqNo: seqNo++, delay, dup: -1 });
    const ndr = (
      action: NdrRec['action'],
      t: number,
      reply: ReplyTemplate | null,
      style: NdrRec['style'],
      delay: number,
      nmid: boolean,
    ) => recs.push({ kind: 'ndr', r, action, t, reply, style, nmid, delay, dup: -1 });
    const opening = () => {
      detail('Receive', msg.t0 + rng.between(40, 900), null);
      if (submits) detail('Submit', msg.t0 + rng.between(950, 1400), null);
    };
    const delivery = (t: number, delay = 0) =>
      detail(msg.direction === 'outbound' ? 'Send external' : 'Deliver', t, null, delay);
    /** Status first seen as GettingStatus, the final status on a later poll. */
    const settled = (status: TraceStatus, p: number) => {
      if (rng.chance(p)) {
        trace('getting_status', 0);
        trace(status, finalDelay);
      } else trace(status, 0);
    };
    const delayNotices = (t: number, repeat: boolean) => {
      if (msg.direction !== 'outbound' || !rng.chance(0.25)) return;
      const first = t + rng.between(5 * MINUTE, 9 * MINUTE);
      ndr('delayed', first, REPLIES.dsn_delay_447, 'exo', rng.between(10, finalDelay), true);
      if (repeat && rng.chance(0.2))
        ndr('delayed', first + rng.between(5 * MINUTE, 6 * MINUTE), REPLIES.dsn_delay_447, 'exo', finalDelay, true);
    };
    const failureNotice = (failT: number, reply: ReplyTemplate, delay: number) => {
      if (internalSender && rng.chance(o.mix.ndr))
        ndr('failed', failT + rng.between(300, 1500), reply, 'exo', delay, rng.chance(0.98));
    };

    switch (out.type) {
      case 'delivered': {
        if (ctx.tail && rng.chance(0.25)) {
          trace('getting_status', 0);
          break;
        }
        settled('delivered', 0.08);
        if (rng.chance(o.mix.deliveredDetails)) {
          opening();
          delivery(msg.t0 + rng.between(1500, 6000));
        }
        break;
      }
      case 'relayed':
      case 'late': {
        trace('delivered', 0);
        if (rng.chance(o.mix.deliveredDetails)) {
          opening();
          delivery(msg.t0 + rng.between(1500, 6000));
        }
        if (out.type === 'relayed')
          ndr('relayed', msg.t0 + rng.between(5 * SECOND, 30 * SECOND), null, 'remote', rng.between(1, 50), true);
        else
          ndr(
            'failed',
            msg.t0 + rng.between(3 * MINUTE, 40 * MINUTE),
            out.reply,
            'remote',
            rng.between(100, 600),
            rng.chance(0.5),
          );
        break;
      }
      case 'failed': {
        settled('failed', 0.1);
        opening();
        const failT = msg.t0 + (out.reply.origin === 'remote' ? rng.between(1500, 8000) : rng.between(1450, 2500));
        detail('Fail', failT, out.reply);
        failureNotice(failT, out.reply, rng.between(0, 20));
        break;
      }
      case 'defer_ok':
      case 'defer_fail':
      case 'pending': {
        trace('pending', 0);
        opening();
        detail('Defer', msg.t0 + rng.between(2 * SECOND, 6 * SECOND), out.defer);
        if (rng.chance(out.type === 'defer_fail' ? 0.6 : 0.4))
          detail('Defer', msg.t0 + rng.between(10 * MINUTE, 20 * MINUTE), out.defer, finalDelay);
        delayNotices(msg.t0, out.type !== 'defer_ok');
        if (out.type === 'defer_ok') {
          trace('delivered', finalDelay);
          delivery(msg.t0 + rng.between(21 * MINUTE, 45 * MINUTE), finalDelay);
        } else if (out.type === 'defer_fail') {
          trace('failed', finalDelay);
          const failT = msg.t0 + rng.between(40 * MINUTE, 70 * MINUTE);
          detail('Fail', failT, out.final, finalDelay);
          failureNotice(failT, out.final, finalDelay);
        }
        break;
      }
      case 'filtered': {
        settled(out.status, 0.05);
        if (rng.chance(o.mix.deliveredDetails * 2)) {
          opening();
          detail('Spam', msg.t0 + rng.between(1000, 3000), null);
        }
        break;
      }
      case 'expanded': {
        trace('expanded', 0);
        if (rng.chance(o.mix.deliveredDetails)) {
          opening();
          detail('Expand', msg.t0 + rng.between(1000, 1400), null);
          detail('Drop', msg.t0 + rng.between(1500, 2500), REPLIES.dl_215);
        }
        break;
      }
    }
  }

  // Exchange's NDR is a message of its own: one row in the tenant's trace, addressed to the sender.
  let firstNdr: NdrRec | null = null;
  for (const rec of recs) {
    if (
      rec.kind === 'ndr' &&
      rec.style === 'exo' &&
      rec.action === 'failed' &&
      (firstNdr === null || rec.t < firstNdr.t)
    )
      firstNdr = rec;
  }
  if (firstNdr !== null) {
    const mtid = ctx.guid();
    msg.ndr = { mtid, messageId: `<${mtid.slice(0, 24)}${rng.hex(12)}@${msg.server}>`, t: firstNdr.t };
    recs.push({ kind: 'trace', r: -1, status: 'delivered', delay: firstNdr.delay, dup: -1 });
  }

  if (o.duplicateRatio > 0) {
    for (const rec of recs) if (rng.chance(o.duplicateRatio)) rec.dup = rec.delay + rng.between(1, 400);
  }
}
