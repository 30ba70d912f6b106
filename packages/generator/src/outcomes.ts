/**
 * What happens to one recipient of one message: the baseline mix (mostly delivered, a realistic bounce
 * mix per direction and remote host) and the scenario overrides for tenants B and C.
 */
import { BANNED_IP_REPLIES, REPLIES, type ReplyTemplate } from './replies.js';
import { type Rng, Weighted } from './random.js';
import type { HostProfile } from './world.js';

export type Outcome =
  | { type: 'delivered' }
  | { type: 'failed'; reply: ReplyTemplate }
  /** Deferred (status Pending, Defer events), delivered later. */
  | { type: 'defer_ok'; defer: ReplyTemplate }
  /** Deferred, then expired: Fail with `final`. */
  | { type: 'defer_fail'; defer: ReplyTemplate; final: ReplyTemplate }
  /** Deferred and still pending when the poll stops. */
  | { type: 'pending'; defer: ReplyTemplate }
  /** Accepted by the remote MX (Delivered), bounced later by it: only a remote DSN reports it. */
  | { type: 'late'; reply: ReplyTemplate }
  /** Delivered, and the remote MTA sent a positive `relayed` DSN (not a bounce). */
  | { type: 'relayed' }
  | { type: 'filtered'; status: 'quarantined' | 'filtered_as_spam' }
  /** A distribution-list row (status Expanded); its members have their own rows. */
  | { type: 'expanded' };

const DELIVERED: Outcome = { type: 'delivered' };
const R = REPLIES;

/** Per-mille weights; `delivered` takes whatever is left of 1000. */
function table(entries: ReadonlyArray<readonly [Outcome, number]>): Weighted<Outcome> {
  const used = entries.reduce((s, [, w]) => s + w, 0);
  return new Weighted<Outcome>([[DELIVERED, 1000 - used], ...entries]);
}

const fail = (reply: ReplyTemplate): Outcome => ({ type: 'failed', reply });
const deferOk = (defer: ReplyTemplate): Outcome => ({ type: 'defer_ok', defer });
const deferFail = (defer: ReplyTemplate, final: ReplyTemplate): Outcome => ({ type: 'defer_fail', defer, final });

const OUTBOUND: Record<HostProfile, Weighted<Outcome>> = {
  google: table([
    [fail(R.gmail_511), 22],
    [fail(R.gmail_522), 6],
    [fail(R.gmail_5726), 3],
    [deferOk(R.gmail_4728), 4],
    [deferOk(R.gmail_422), 3],
    [deferFail(R.gmail_422, R.expired_447), 1],
    [{ type: 'relayed' }, 2],
  ]),
  yahoo: table([
    [fail(R.yahoo_500), 15],
    [deferOk(R.yahoo_470), 8],
    [deferFail(R.yahoo_470, R.expired_447), 2],
  ]),
  outlook: table([
    [fail(R.outlook_550), 12],
    [deferOk(R.eop_47500), 5],
  ]),
  postfix: table([
    [fail(R.postfix_511), 18],
    [fail(R.postfix_522), 6],
    [deferOk(R.refused_44316), 10],
    [deferOk(R.dns_44312), 4],
    [deferFail(R.refused_44316, R.expired_54316), 3],
    [deferFail(R.dns_44312, R.expired_54312), 2],
    [{ type: 'pending', defer: R.refused_44316 }, 3],
    [{ type: 'late', reply: R.late_522 }, 4],
    [{ type: 'late', reply: R.late_511 }, 2],
    [{ type: 'relayed' }, 3],
  ]),
  eop: table([
    [fail(R.eop_5110), 14],
    [fail(R.eop_541), 5],
    [fail(R.eop_5723), 3],
    [fail(R.eop_509), 1],
    [deferOk(R.eop_47500), 5],
  ]),
};

const INBOUND = table([
  [{ type: 'filtered', status: 'quarantined' }, 12],
  [{ type: 'filtered', status: 'filtered_as_spam' }, 18],
  [fail(R.exo_5110), 15],
  [fail(R.exo_522), 5],
  [fail(R.exo_5723_inbound), 7],
  [fail(R.exo_571), 3],
  [deferOk(R.exo_432), 4],
]);

const INTRA = table([
  [fail(R.exo_5110), 20],
  [fail(R.exo_522), 10],
  [fail(R.exo_571), 5],
  [deferOk(R.exo_432), 5],
]);

export function outboundOutcome(rng: Rng, profile: HostProfile): Outcome {
  return OUTBOUND[profile].pick(rng);
}
export function inboundOutcome(rng: Rng): Outcome {
  return INBOUND.pick(rng);
}
export function intraOutcome(rng: Rng): Outcome {
  return INTRA.pick(rng);
}

export const DMARC_OUTCOME: Outcome = fail(R.eop_509);

/** B's relay IP: rate-limited (4.7.650) before the ban, then banned at EOP and Outlook.com. */
export function ipBanOutcome(rng: Rng, profile: HostProfile, banned: boolean): Outcome | null {
  if (profile !== 'eop' && profile !== 'outlook') return null;
  if (!banned) return rng.chance(0.3) ? deferOk(R.eop_47650) : null;
  if (!rng.chance(0.85)) return null;
  return fail(profile === 'outlook' ? R.outlook_s3150 : rng.pick(BANNED_IP_REPLIES));
}

const BLOCK_MIX = new Weighted<ReplyTemplate>([
  [R.exo_705, 5],
  [R.exo_708, 3],
  [R.exo_750, 2],
]);

/** C blocked: 90% of outbound recipients rejected by Exchange itself (5.7.705 first, then the mix). */
export function tenantBlockOutcome(rng: Rng, thresholdOnly: boolean): Outcome | null {
  if (!rng.chance(0.9)) return null;
  return fail(thresholdOnly ? R.exo_705 : BLOCK_MIX.pick(rng));
}
