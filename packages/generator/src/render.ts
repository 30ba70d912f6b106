/**
 * Planned records → Kafka values, in the shapes @ndr/events accepts: Get-MessageTraceV2 rows (PascalCase,
 * PowerShell dates), Graph rows (camelCase, `tenant` added by the producer), V2 and Graph detail events
 * with `Reason: [{LED=…};{MSG=};{FQDN=…};{IP=…};{LRT=…}]` texts, and ndr-dsn v1 JSON (Exchange NDRs and
 * remote Postfix/Sendmail DSNs). Cosmetic variety (id and address casing, timestamp forms, optional fields)
 * comes from the render stream and never changes a key, a status, a code or a minute.
 */
import type { Rng } from './random.js';
import type { ReplyContext, ReplyTemplate } from './replies.js';
import { graphDate, isoMs, msJsonDate, psDate, rfc5322, usDate, compactDate } from './time-format.js';
import type {
  DetailRec,
  GenRecord,
  Message,
  NdrRec,
  RecordNote,
  ShapeName,
  TopicKind,
  TraceRec,
  TraceStatus,
} from './types.js';
import { EOP_SERVERS, ndrSender } from './world.js';
import { mep, q, SlabEncoder } from './json-text.js';

const V2_STATUS: Record<TraceStatus, string> = {
  getting_status: 'GettingStatus',
  pending: 'Pending',
  delivered: 'Delivered',
  failed: 'Failed',
  quarantined: 'Quarantined',
  filtered_as_spam: 'FilteredAsSpam',
  expanded: 'Expanded',
};
const GRAPH_STATUS: Record<TraceStatus, string> = {
  getting_status: 'gettingStatus',
  pending: 'pending',
  delivered: 'delivered',
  failed: 'failed',
  quarantined: 'quarantined',
  filtered_as_spam: 'filteredAsSpam',
  expanded: 'expanded',
};
const DIRECTION = { inbound: 'inbound', outbound: 'outbound', intra: 'intra_org' } as const;

const cap = (s: string) => (s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1));

export class Renderer {
  /** Reply contexts of the message being rendered: a Fail event and its NDR quote the same reply. */
  private contexts = new Map<string, ReplyContext>();
  private current: Message | null = null;
  private readonly slab = new SlabEncoder();

  constructor(
    private readonly rng: Rng,
    private readonly annotate: boolean,
  ) {}

  render(msg: Message, rec: TraceRec | DetailRec | NdrRec): GenRecord {
    if (this.current !== msg) {
      this.current = msg;
      this.contexts.clear();
    }
    const tenant = msg.tenant.id;
    if (rec.kind === 'trace') {
      const mtid = rec.r < 0 ? msg.ndr!.mtid : msg.mtid;
      const value = msg.surface === 'graph' ? this.graphRow(msg, rec) : this.v2Row(msg, rec);
      return this.out(
        'message_trace',
        `${tenant}|${mtid}`,
        value,
        msg,
        rec,
        msg.surface === 'graph' ? 'message-trace-graph' : 'message-trace-v2',
      );
    }
    if (rec.kind === 'detail') {
      const value = msg.surface === 'graph' ? this.graphDetail(msg, rec) : this.v2Detail(msg, rec);
      return this.out(
        'trace_detail',
        `${tenant}|${msg.mtid}`,
        value,
        msg,
        rec,
        msg.surface === 'graph' ? 'trace-detail-graph' : 'trace-detail-v2',
      );
    }
    return this.out('ndr', `${tenant}|${msg.mtid}`, this.ndr(msg, rec), msg, rec, 'ndr-dsn');
  }

  private out(
    topic: TopicKind,
    key: string,
    value: Buffer,
    msg: Message,
    rec: TraceRec | DetailRec | NdrRec,
    shape: ShapeName,
  ): GenRecord {
    if (!this.annotate) return { topic, key, value };
    const note: RecordNote = { shape, tenant: msg.tenant.id };
    if (rec.kind === 'trace')
      note.messageKey = `${rec.r < 0 ? msg.ndr!.mtid : msg.mtid}|${rec.r < 0 ? msg.sender : msg.rcpts[rec.r]!.address}`;
    else {
      const id = rec.kind === 'ndr' && !rec.nmid ? msg.messageId : msg.mtid;
      note.messageKey = `${id}|${msg.rcpts[rec.r]!.address}`;
      if (rec.reply) {
        note.reply = rec.reply.id;
        const counts =
          rec.kind === 'detail'
            ? rec.event === 'Fail' || rec.event === 'Defer' || rec.event === 'Drop'
            : rec.action !== 'relayed';
        if (rec.reply.bounce && counts) note.code = rec.reply.code;
      }
    }
    return { topic, key, value, note };
  }

  // --- cosmetics ---------------------------------------------------------------------------

  /** V2 exports carry the GUID as Exchange wrote it: mostly canonical, sometimes upper-case, sometimes without dashes. */
  private guidForm(g: string): string {
    const x = this.rng.int(50);
    return x === 0 ? g.replace(/-/g, '').toUpperCase() : x === 1 ? g.toUpperCase() : g;
  }

  /** Addresses mostly as stored, sometimes with the display casing a user typed (`Anna.Berg@Contoso.com`). */
  private addr(a: string): string {
    if (this.rng.int(33) !== 0) return a;
    const at = a.indexOf('@');
    return `${a.slice(0, at).split('.').map(cap).join('.')}@${cap(a.slice(at + 1))}`;
  }

  private v2Time(ms: number): string {
    return this.rng.int(20) === 0 ? msJsonDate(ms) : psDate(ms, this.rng.int(10_000));
  }

  // --- message-trace rows ------------------------------------------------------------------

  private rowFacts(msg: Message, rec: TraceRec) {
    if (rec.r < 0) {
      const ndr = msg.ndr!;
      return {
        t: ndr.t,
        sender: ndrSender(msg.tenant),
        rcpt: msg.sender,
        subject: `Undeliverable: ${msg.subject}`,
        mtid: ndr.mtid,
        messageId: ndr.messageId,
        size: 14_000 + (msg.size % 30_000),
        toIp: '',
        fromIp: '',
        intra: true,
      };
    }
    const ext = msg.rcpts[rec.r]!.ext;
    const toIp = ext !== null && rec.status !== 'getting_status' ? ext.mxIp : '';
    return {
      t: msg.t0,
      sender: msg.sender,
      rcpt: msg.rcpts[rec.r]!.address,
      subject: msg.subject,
      mtid: msg.mtid,
      messageId: msg.messageId,
      size: msg.size,
      toIp,
      fromIp: msg.fromIp,
      intra: false,
    };
  }

  /** Producer-set fields after the upstream ones: `tenant` (when no Organization) and `direction`. */
  private tail(msg: Message, organization: boolean, intra: boolean): string {
    let out = '';
    if (organization) {
      if (this.rng.int(33) === 0) out = `,"tenant":"${msg.tenant.id}"`;
      else out = `,"Organization":"${this.rng.int(100) === 0 ? cap(msg.tenant.id) : msg.tenant.id}"`;
    } else out = `,"tenant":"${msg.tenant.id}"`;
    if (msg.tenant.producerSetsDirection) out += `,"direction":"${intra ? 'intra_org' : DIRECTION[msg.direction]}"`;
    return `${out}}`;
  }

  private v2Row(msg: Message, rec: TraceRec): Buffer {
    const f = this.rowFacts(msg, rec);
    const empty = this.rng.chance(0.5) ? 'null' : '""';
    return this.slab.encode(
      `{"Received":"${this.v2Time(f.t)}","SenderAddress":"${f.sender}","RecipientAddress":"${this.addr(f.rcpt)}","Subject":"${f.subject}"` +
        `,"Status":"${V2_STATUS[rec.status]}","ToIP":${f.toIp ? `"${f.toIp}"` : empty},"FromIP":${f.fromIp ? `"${f.fromIp}"` : empty},"Size":${f.size}` +
        `,"MessageId":"${f.messageId}","MessageTraceId":"${this.guidForm(f.mtid)}"${this.tail(msg, true, f.intra)}`,
    );
  }

  private graphRow(msg: Message, rec: TraceRec): Buffer {
    const f = this.rowFacts(msg, rec);
    const status = this.rng.int(20) === 0 ? V2_STATUS[rec.status] : GRAPH_STATUS[rec.status];
    return this.slab.encode(
      `{"id":"${f.mtid}","senderAddress":"${f.sender}","recipientAddress":"${this.addr(f.rcpt)}","messageId":"${f.messageId}"` +
        `,"receivedDateTime":"${graphDate(f.t)}","subject":"${f.subject}","size":${f.size},"fromIP":${f.fromIp ? `"${f.fromIp}"` : 'null'}` +
        `,"toIP":${f.toIp ? `"${f.toIp}"` : 'null'},"status":"${status}"${this.tail(msg, false, f.intra)}`,
    );
  }

  // --- detail events -------------------------------------------------------------------------

  /** The reply's variable parts; a Fail event and its NDR share them, each Defer gets its own stamp. */
  private replyContext(msg: Message, r: number, reply: ReplyTemplate, t: number): ReplyContext {
    const key = `${r}|${reply.id}`;
    let c = this.contexts.get(key);
    if (c === undefined || reply.kind === 'defer') {
      const rng = this.rng;
      const ext = msg.rcpts[r]!.ext;
      const stampServer = reply.origin === 'internal' ? msg.server : rng.pick(EOP_SERVERS);
      c = {
        rcpt: msg.rcpts[r]!.address,
        senderDomain: msg.sender.slice(msg.sender.indexOf('@') + 1),
        clientIp: msg.clientIp,
        host: ext?.mx ?? '',
        hostIp: ext?.mxIp ?? '',
        stamp: `[${stampServer} ${isoMs(t)} ${rng.hex(16).toUpperCase()}]`,
        gid: `${rng.hex(13)}-${rng.hex(11)}si${rng.between(1_000_000, 9_999_999)}${String.fromCharCode(97 + rng.int(26), 97 + rng.int(26), 97 + rng.int(26))}.${rng.between(10, 99)}`,
        mta: rng.between(1000, 9999),
      };
      this.contexts.set(key, c);
    }
    return c;
  }

  /** The event's text as a JSON string literal (reply texts go through `q`; the fixed texts are safe) and its Data. */
  private detailText(msg: Message, rec: DetailRec): { text: string; data: string } {
    const seq = mep('SequenceNumber', 'Long', rec.seqNo);
    const ext = msg.rcpts[rec.r]!.ext;
    switch (rec.event) {
      case 'Receive': {
        const client = msg.fromIp ? mep('ClientIP', 'String', msg.fromIp) : '';
        const name = mep(
          'ClientName',
          'String',
          msg.fromIp ? msg.sender.slice(msg.sender.indexOf('@') + 1) : msg.server,
        );
        return {
          text: `"Message received by: ${msg.server}${msg.fromIp ? ' using TLS1.2 with AES256' : ''}"`,
          data: `<root>${client}${name}${seq}</root>`,
        };
      }
      case 'Submit':
        return {
          text: '"The message was submitted."',
          data: `<root>${mep('RcptCount', 'Integer', msg.rcpts.length)}${mep('ServerHostName', 'String', msg.server)}${seq}</root>`,
        };
      case 'Send external':
        return {
          text: `"Message sent to ${ext?.mx} at ${ext?.mxIp} using TLS1.2 with AES256"`,
          data: `<root>${mep('OutboundProxyTargetIPAddress', 'String', ext?.mxIp ?? '')}${mep('OutboundProxyTargetHostName', 'String', ext?.mx ?? '')}${seq}</root>`,
        };
      case 'Deliver':
        return {
          text: '"The message was successfully delivered."',
          data: `<root>${mep('MailboxServer', 'String', msg.server)}${mep('TotalLatency', 'Integer', this.rng.between(1, 9))}${seq}</root>`,
        };
      case 'Expand':
        return {
          text: `"The distribution group was expanded to ${msg.rcpts.length - 1} recipients."`,
          data: `<root>${seq}</root>`,
        };
      case 'Spam':
        return {
          text: '"The message was marked as spam (SCL 9)."',
          data: `<root>${mep('SCL', 'Integer', 9)}${mep('SFV', 'String', 'SPM')}${seq}</root>`,
        };
      default: {
        const reply = rec.reply!;
        const c = this.replyContext(msg, rec.r, reply, rec.t);
        const led = reply.text(c);
        const remote = reply.origin === 'remote' && c.host !== '';
        const block = `Reason: [{LED=${led}};{MSG=};{FQDN=${remote ? c.host : ''}};{IP=${remote ? c.hostIp : ''}};{LRT=${remote ? usDate(rec.t) : ''}}]`;
        const trailer = remote ? `. OutboundProxyTargetIP: ${c.hostIp}. OutboundProxyTargetHostName: ${c.host}` : '';
        const text = q(
          rec.event === 'Defer' && this.rng.int(5) === 0 ? `The message was deferred. ${led}` : block + trailer,
        );
        return {
          text,
          data: `<root>${mep('RecipientStatus', 'String', `${reply.reply} ${reply.status}`)}${seq}</root>`,
        };
      }
    }
  }

  /** Data is spliced in as is: detailText builds it JSON-escaped already. */
  private v2Detail(msg: Message, rec: DetailRec): Buffer {
    const { text, data } = this.detailText(msg, rec);
    return this.slab.encode(
      `{"Date":"${psDate(rec.t, this.rng.int(10_000))}","Event":"${rec.event}","Action":${rec.event === 'Spam' ? '"SetSpamConfidenceLevel"' : 'null'}` +
        `,"Detail":${text},"Data":"${data}","MessageTraceId":"${this.guidForm(msg.mtid)}","MessageId":"${msg.messageId}"` +
        `,"SenderAddress":"${msg.sender}","RecipientAddress":"${this.addr(msg.rcpts[rec.r]!.address)}"${this.tail(msg, true, false)}`,
    );
  }

  private graphDetail(msg: Message, rec: DetailRec): Buffer {
    const { text, data } = this.detailText(msg, rec);
    const sender = this.rng.chance(0.7) ? `,"senderAddress":"${msg.sender}"` : '';
    return this.slab.encode(
      `{"id":"${msg.mtid}","dateTime":"${graphDate(rec.t)}","event":"${rec.event}","action":${rec.event === 'Spam' ? '"SetSpamConfidenceLevel"' : 'null'}` +
        `,"description":${text},"data":"${data}","messageId":"${msg.messageId}","recipientAddress":"${this.addr(msg.rcpts[rec.r]!.address)}"${sender}${this.tail(msg, false, false)}`,
    );
  }

  // --- NDRs ----------------------------------------------------------------------------------

  private ndr(msg: Message, rec: NdrRec): Buffer {
    const rng = this.rng;
    const rcpt = msg.rcpts[rec.r]!;
    const ext = rcpt.ext;
    const reply = rec.reply;
    const c = reply ? this.replyContext(msg, rec.r, reply, rec.t) : null;
    const o: Record<string, unknown> = {};
    if (rec.style === 'exo') {
      if (rng.int(10) !== 0) o.schema_version = 1;
      o.tenant = msg.tenant.id;
      if (msg.tenant.producerSetsDirection) o.direction = DIRECTION[msg.direction];
      const own =
        rec.action === 'failed' && msg.ndr
          ? msg.ndr
          : {
              mtid: `${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}`,
              messageId: `<${rng.hex(32)}@${msg.server}>`,
            };
      o.ndr_message_id = own.messageId;
      o.ndr_network_message_id = own.mtid;
      o.ndr_date = rng.chance(0.6) ? rfc5322(rec.t) : graphDate(rec.t);
      o.original_sender = rng.chance(0.5) ? `<${msg.sender}>` : msg.sender;
      o.original_message_id = msg.messageId;
      if (rec.nmid) o.original_network_message_id = rng.int(20) === 0 ? msg.mtid.toUpperCase() : msg.mtid;
      o.original_subject = msg.subject;
      o.reporting_mta = `dns;${msg.server}`;
      o.arrival_date = rfc5322(msg.t0);
      o.final_recipient = `rfc822;${this.addr(rcpt.address)}`;
      o.action = rng.int(20) === 0 ? cap(rec.action) : rec.action;
      o.status = reply!.status;
      o.diagnostic_code = `smtp;${reply!.text(c!)}`;
      if (reply!.origin === 'remote' && ext) o.remote_mta = `dns;${ext.mx}`;
      if (rec.action === 'delayed') o.will_retry_until = rfc5322(msg.t0 + 2 * 86_400_000);
      if (rng.chance(0.3))
        o.x_display_name = rcpt.address.slice(0, rcpt.address.indexOf('@')).split('.').map(cap).join(' ');
      return this.slab.encode(JSON.stringify(o));
    }
    // A DSN written by the remote MTA (Postfix/Sendmail style: spaces after `;`, upper-case types, GMT dates).
    const mx = ext?.mx ?? 'mx1.example.org';
    const domain = rcpt.address.slice(rcpt.address.indexOf('@') + 1);
    o.tenant = msg.tenant.id;
    if (msg.tenant.producerSetsDirection) o.direction = DIRECTION[msg.direction];
    o.ndr_message_id = `<${compactDate(rec.t)}.${rng.hex(10).toUpperCase()}@${mx}>`;
    o.ndr_date = rfc5322(rec.t, 'GMT');
    o.original_sender = `<${msg.sender}>`;
    o.original_message_id = msg.messageId;
    if (rec.nmid) o.original_network_message_id = msg.mtid;
    o.original_subject = msg.subject;
    o.reporting_mta = `dns; ${mx}`;
    o.received_from_mta = `DNS; mail-${rng.hex(6)}.outbound.protection.outlook.com`;
    o.arrival_date = rfc5322(msg.t0 + rng.between(1000, 6000), 'GMT');
    o.final_recipient = `RFC822; ${this.addr(rcpt.address)}`;
    o.original_recipient = `rfc822;${rcpt.address}`;
    o.action = rec.action;
    if (reply) {
      o.status = reply.status;
      o.remote_mta = `DNS; store${rng.between(1, 4)}.${domain}`;
      o.diagnostic_code = `SMTP; ${reply.text(c!)}`;
    } else {
      o.status = '2.0.0';
    }
    o.last_attempt_date = rfc5322(rec.t, 'GMT');
    return this.slab.encode(JSON.stringify(o));
  }
}
