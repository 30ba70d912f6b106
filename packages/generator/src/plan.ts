/**
 * Plans messages: who sends what to whom, when, what happens to each recipient, and which records
 * (trace rows and their later versions, detail events, NDRs, duplicates) report it. Every choice that
 * changes a record or the ground truth is drawn from the plan stream of the PRNG; rendering draws only
 * cosmetic choices (timestamp form, id casing) from its own stream.
 */
import { buildRecords } from './plan-records.js';
import {
  DMARC_OUTCOME,
  inboundOutcome,
  intraOutcome,
  ipBanOutcome,
  outboundOutcome,
  tenantBlockOutcome,
  type Outcome,
} from './outcomes.js';
import type { ResolvedOptions } from './options.js';
import { hex8, type Rng, Weighted } from './random.js';
import type { Scenario } from './scenario.js';
import { compactDate } from './time-format.js';
import type { Direction, Message, Recipient } from './types.js';
import {
  appSubject,
  EXO_OUTBOUND_IPS,
  type ExternalDomain,
  inboundSubject,
  INBOUND_SENDERS,
  personAddress,
  personSubject,
  ROLE_RECIPIENTS,
  ROLE_SENDERS,
  type Tenant,
} from './world.js';

const DIRECTIONS = new Weighted<Direction>([
  ['inbound', 45],
  ['outbound', 40],
  ['intra', 15],
]);
const RECIPIENT_COUNT = new Weighted<number>([
  [1, 85],
  [2, 10],
  [3, 5],
]);
const DL_NAMES = ['all-staff', 'sales-team', 'it-ops', 'finance-dl', 'project-alpha'];

export interface World {
  tenants: readonly Tenant[];
  external: readonly ExternalDomain[];
}

export class Planner {
  private seq = 0;
  /** XOR-ed into the counter: ids look random, and stay unique because XOR with a constant is a bijection. */
  private readonly mask: number;
  private readonly tenantPick: Weighted<number>;
  private readonly tailFrom: number;

  constructor(
    private readonly o: ResolvedOptions,
    private readonly w: World,
    private readonly rng: Rng,
    private readonly scenario: Scenario,
  ) {
    const base = [30, 25, 20, 25];
    this.tenantPick = new Weighted(w.tenants.map((_, i) => [i, base[i] ?? 20] as const));
    this.tailFrom = o.minutes - Math.max(1, Math.floor(o.minutes * 0.05));
    this.mask = rng.u32();
  }

  /** A fresh MessageTraceId: random, with a per-run counter in the last group, so it is unique by construction. */
  guid(): string {
    const r = this.rng;
    const seq = hex8(this.seq++ ^ this.mask);
    const b = hex8(r.u32());
    const c = hex8(r.u32());
    return `${hex8(r.u32())}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-08de${seq}`;
  }

  private size(): number {
    return Math.min(35_000_000, Math.max(800, Math.round(Math.exp(9.6 + this.rng.normal()))));
  }

  private timeIn(minute: number): number {
    return this.o.startMs + minute * 60_000 + this.rng.int(60_000);
  }

  /** Common message fields; recipients, outcomes and records are filled by the callers. */
  private message(
    tenant: Tenant,
    direction: Direction,
    minute: number,
    relay: boolean,
    sender: string,
    subject: string,
    fromIp: string,
    clientIp: string,
  ): Message {
    const r = this.rng;
    const mtid = this.guid();
    const seqHex = mtid.slice(-8).toUpperCase();
    const server = r.pick(tenant.servers);
    const t0 = this.timeIn(minute);
    let messageId: string;
    if (direction === 'inbound')
      messageId = `<${r.hex(12)}.${seqHex.toLowerCase()}@mail.${sender.slice(sender.indexOf('@') + 1)}>`;
    else if (relay) messageId = `<${compactDate(t0)}.${seqHex}@${tenant.relayHost}>`;
    else messageId = `<${server.slice(0, 13)}${r.hexUpper(24)}${seqHex}@${server}>`;
    return {
      seq: this.seq,
      tenant,
      mtid,
      messageId,
      sender,
      subject,
      size: this.size(),
      fromIp,
      clientIp,
      t0,
      surface: r.chance(this.o.mix.graph) ? 'graph' : 'v2',
      direction,
      server,
      rcpts: [],
      recs: [],
      ndr: null,
    };
  }

  private finish(msg: Message, rcpts: Recipient[], outcomes: Outcome[], minute: number): Message {
    msg.rcpts = rcpts;
    buildRecords(msg, outcomes, { rng: this.rng, o: this.o, tail: minute >= this.tailFrom, guid: () => this.guid() });
    return msg;
  }

  /** Tenant A's DMARC failure: the billing app's invoice to an EOP-protected customer, rejected 5.7.509. */
  dmarc(minute: number): Message {
    const tenant = this.w.tenants[0]!;
    const r = this.rng;
    const year = new Date(this.o.startMs).getUTCFullYear();
    const msg = this.message(
      tenant,
      'outbound',
      minute,
      true,
      `billing@${tenant.domain}`,
      appSubject(r, 'billing', tenant.company, year),
      tenant.relayIp,
      tenant.relayIp,
    );
    const eop = this.w.external.filter((d) => d.profile === 'eop');
    const ext = r.pick(eop);
    const address = r.chance(0.5) ? `${r.pick(ROLE_RECIPIENTS)}@${ext.domain}` : personAddress(r, ext.domain);
    return this.finish(msg, [{ address, ext }], [DMARC_OUTCOME], minute);
  }

  /** The smallest message: one inbound delivered row, no detail events, no duplicate (fills the last records). */
  filler(minute: number): Message {
    const tenant = this.w.tenants[this.tenantPick.pick(this.rng)]!;
    const ext = this.rng.pick(this.w.external);
    const msg = this.message(
      tenant,
      'inbound',
      minute,
      false,
      `${this.rng.pick(INBOUND_SENDERS)}@${ext.domain}`,
      inboundSubject(this.rng),
      `198.51.100.${this.rng.between(10, 250)}`,
      '',
    );
    msg.rcpts = [{ address: personAddress(this.rng, tenant.domain), ext: null }];
    msg.recs = [{ kind: 'trace', r: 0, status: 'delivered', delay: 0, dup: -1 }];
    return msg;
  }

  baseline(minute: number): Message {
    const r = this.rng;
    const ti = this.tenantPick.pick(r);
    const tenant = this.w.tenants[ti]!;
    const direction = DIRECTIONS.pick(r);
    const year = new Date(this.o.startMs).getUTCFullYear();
    const n = RECIPIENT_COUNT.pick(r);

    if (direction === 'outbound') {
      const relay = r.chance(ti === 1 ? 0.6 : 0.4);
      const role = r.pick(ROLE_SENDERS);
      const sender = relay ? `${role}@${tenant.domain}` : personAddress(r, tenant.domain);
      const subject = relay ? appSubject(r, role, tenant.company, year) : personSubject(r);
      const clientIp = relay ? tenant.relayIp : r.pick(EXO_OUTBOUND_IPS);
      const msg = this.message(
        tenant,
        direction,
        minute,
        relay,
        sender,
        subject,
        relay ? tenant.relayIp : '',
        clientIp,
      );
      const rcpts: Recipient[] = [];
      const outcomes: Outcome[] = [];
      for (let k = 0; k < n; k++) {
        const ext = r.pick(this.w.external);
        const address = r.chance(0.3) ? `${r.pick(ROLE_RECIPIENTS)}@${ext.domain}` : personAddress(r, ext.domain);
        if (rcpts.some((x) => x.address === address)) continue;
        rcpts.push({ address, ext });
        outcomes.push(this.scenarioOutcome(ti, relay, ext, minute) ?? outboundOutcome(r, ext.profile));
      }
      return this.finish(msg, rcpts, outcomes, minute);
    }

    const inbound = direction === 'inbound';
    const ext = r.pick(this.w.external);
    const sender = inbound
      ? r.chance(0.6)
        ? `${r.pick(INBOUND_SENDERS)}@${ext.domain}`
        : personAddress(r, ext.domain)
      : personAddress(r, tenant.domain);
    const subject = inbound ? inboundSubject(r) : personSubject(r);
    const fromIp = inbound ? `${r.chance(0.5) ? '198.51.100' : '192.0.2'}.${r.between(10, 250)}` : '';
    const msg = this.message(tenant, direction, minute, false, sender, subject, fromIp, fromIp);
    const rcpts: Recipient[] = [];
    const outcomes: Outcome[] = [];
    if (r.chance(0.02)) {
      rcpts.push({ address: `${r.pick(DL_NAMES)}@${tenant.domain}`, ext: null });
      outcomes.push({ type: 'expanded' });
    }
    for (let k = 0; k < n; k++) {
      const address = personAddress(r, tenant.domain);
      if (address === sender || rcpts.some((x) => x.address === address)) continue;
      rcpts.push({ address, ext: null });
      outcomes.push(inbound ? inboundOutcome(r) : intraOutcome(r));
    }
    if (outcomes.length === 0 || (outcomes.length === 1 && outcomes[0]!.type === 'expanded')) {
      rcpts.push({ address: `${r.pick(ROLE_RECIPIENTS)}@${tenant.domain}`, ext: null });
      outcomes.push(inbound ? inboundOutcome(r) : intraOutcome(r));
    }
    return this.finish(msg, rcpts, outcomes, minute);
  }

  /** B's banned relay IP and C's tenant block, when the scenario says so for this minute. */
  private scenarioOutcome(ti: number, relay: boolean, ext: ExternalDomain, minute: number): Outcome | null {
    const s = this.scenario;
    if (ti === 1 && relay && s.ipBan && minute >= s.ipBan.warnFrom)
      return ipBanOutcome(this.rng, ext.profile, minute >= s.ipBan.banFrom);
    if (ti === 2 && s.tenantBlock && minute >= s.tenantBlock.from) {
      return tenantBlockOutcome(this.rng, minute < s.tenantBlock.from + s.tenantBlock.onlyThresholdFor);
    }
    return null;
  }
}

/** How many Kafka records a planned message becomes (originals plus duplicates). */
export function recordCount(msg: Message): number {
  let n = msg.recs.length;
  for (const rec of msg.recs) if (rec.dup >= 0) n++;
  return n;
}
