/**
 * SMTP replies per code, as Exchange Online and common remote MTAs word them (catalogue titles, the EXO
 * NDR table, Gmail / Yahoo / Outlook.com / Postfix / Sendmail phrasings). Each template names the
 * enhanced status code that a reader of the text should take from it: that is the ground truth's
 * `code`, written down here by hand and checked against the classifier in the tests, never computed by it.
 *
 * Rules the texts follow (so the intended code is unambiguous): the code stands right after the basic
 * reply code (`550 5.1.1`, `550-5.1.1`); nothing else in the text looks like `d.d.d` with a 2/4/5 class,
 * except where a template says so (codeless Yahoo reply → the DSN Status / RecipientStatus `5.0.0`).
 */

export interface ReplyContext {
  /** Canonical (lower-case) recipient address. */
  rcpt: string;
  /** Lower-case sender domain. */
  senderDomain: string;
  /** The IP the remote host saw: the tenant's relay IP or an Exchange Online outbound IP. */
  clientIp: string;
  /** Remote MX host and IP ('' when Exchange itself rejected). */
  host: string;
  hostIp: string;
  /** Exchange server stamp: `[AM4PEPF00027A5F.eurprd04.prod.outlook.com 2026-11-20T09:14:07.498Z 08DF27A19C42B7E1]`. */
  stamp: string;
  /** Gmail queue id, e.g. `d75a77b69052e-4b0f1a2c3d4si1234567qtb.45`. */
  gid: string;
  /** Yahoo MTA number. */
  mta: number;
}

export type ReplyKind = 'fail' | 'defer' | 'drop';

export interface ReplyTemplate {
  id: string;
  /** The enhanced status code a reader takes from this reply: the code the ground truth counts under. */
  code: string;
  /** DSN `Status:` and the detail event's `RecipientStatus` code (equals `code` unless the text has none). */
  status: string;
  /** Basic SMTP reply code. */
  reply: string;
  /** Fail / Defer / Drop detail event. */
  kind: ReplyKind;
  /** `remote`: a remote host answered (FQDN/IP filled in the Reason block); `internal`: Exchange itself. */
  origin: 'internal' | 'remote';
  /** A failed or deferred delivery (false for 2xx replies such as the DL-expansion Drop). */
  bounce: boolean;
  text(c: ReplyContext): string;
}

function t(
  id: string,
  code: string,
  reply: string,
  kind: ReplyKind,
  origin: 'internal' | 'remote',
  text: (c: ReplyContext) => string,
  status = code,
): ReplyTemplate {
  return { id, code, status, reply, kind, origin, bounce: !reply.startsWith('2'), text };
}

const GMAIL = (c: ReplyContext) => `${c.gid} - gsmtp`;
const FWLINK = 'For more information please go to http://go.microsoft.com/fwlink/?LinkId=526653';

export const REPLIES = {
  // Remote rejections of outbound mail.
  gmail_511: t(
    'gmail-5.1.1',
    '5.1.1',
    '550',
    'fail',
    'remote',
    (c) =>
      `550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. For more information, go to https://support.google.com/mail/?p=NoSuchUser ${GMAIL(c)}`,
  ),
  gmail_522: t(
    'gmail-5.2.2',
    '5.2.2',
    '552',
    'fail',
    'remote',
    (c) =>
      `552-5.2.2 The recipient's inbox is out of storage space and inaccessible. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaPerm ${GMAIL(c)}`,
  ),
  gmail_5726: t(
    'gmail-5.7.26',
    '5.7.26',
    '550',
    'fail',
    'remote',
    (c) =>
      `550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. Authentication results: DKIM = did not pass SPF [${c.senderDomain}] with ip: [${c.clientIp}] = did not pass For instructions on setting up authentication, go to https://support.google.com/mail/answer/81126#authentication ${GMAIL(c)}`,
  ),
  postfix_511: t(
    'postfix-5.1.1',
    '5.1.1',
    '550',
    'fail',
    'remote',
    (c) => `550 5.1.1 <${c.rcpt}>: Recipient address rejected: User unknown in virtual mailbox table`,
  ),
  postfix_522: t(
    'postfix-5.2.2',
    '5.2.2',
    '552',
    'fail',
    'remote',
    (c) => `552 5.2.2 <${c.rcpt}>: Mailbox full - quota exceeded`,
  ),
  yahoo_500: t(
    'yahoo-5.0.0',
    '5.0.0',
    '554',
    'fail',
    'remote',
    (c) =>
      `554 delivery error: dd This user doesn't have a ${c.rcpt.slice(c.rcpt.indexOf('@') + 1)} account (${c.rcpt}) [0] - mta${c.mta}.mail.gq1.yahoo.com`,
    '5.0.0',
  ),
  outlook_550: t(
    'outlook-5.5.0',
    '5.5.0',
    '550',
    'fail',
    'remote',
    () =>
      '550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). [DB5EUR03FT012.eop-EUR03.prod.protection.outlook.com]',
  ),
  eop_5110: t(
    'eop-5.1.10',
    '5.1.10',
    '550',
    'fail',
    'remote',
    (c) => `550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient ${c.rcpt} not found by SMTP address lookup ${c.stamp}`,
  ),
  eop_541: t(
    'eop-5.4.1',
    '5.4.1',
    '550',
    'fail',
    'remote',
    (c) => `550 5.4.1 Recipient address rejected: Access denied. AS(201806281) ${c.stamp}`,
  ),
  eop_5723: t(
    'eop-5.7.23',
    '5.7.23',
    '550',
    'fail',
    'remote',
    (c) => `550 5.7.23 The message was rejected because of Sender Policy Framework violation ${c.stamp}`,
  ),
  eop_509: t(
    'eop-5.7.509',
    '5.7.509',
    '550',
    'fail',
    'remote',
    (c) =>
      `550 5.7.509 Access denied, sending domain [${c.senderDomain.toUpperCase()}] does not pass DMARC verification and has a DMARC policy of reject. ${c.stamp}`,
  ),
  outlook_s3150: t(
    'outlook-5.7.1-S3150',
    '5.7.1',
    '550',
    'fail',
    'remote',
    (c) =>
      `550 5.7.1 Unfortunately, messages from [${c.clientIp}] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. [DB5EUR03FT012.eop-EUR03.prod.protection.outlook.com]`,
  ),

  // Remote deferrals.
  refused_44316: t(
    'refused-4.4.316',
    '4.4.316',
    '450',
    'defer',
    'remote',
    (c) =>
      `450 4.4.316 Connection refused [Message=Socket error code 10061] [LastAttemptedServerName=${c.host}] [LastAttemptedIP=${c.hostIp}:25] ${c.stamp}`,
  ),
  dns_44312: t(
    'dns-4.4.312',
    '4.4.312',
    '451',
    'defer',
    'remote',
    (c) =>
      `451 4.4.312 DNS query failed [Message=ServerFailure] [LastAttemptedServerName=${c.rcpt.slice(c.rcpt.indexOf('@') + 1)}] ${c.stamp}`,
  ),
  yahoo_470: t(
    'yahoo-4.7.0',
    '4.7.0',
    '421',
    'defer',
    'remote',
    (c) =>
      `421 4.7.0 [TSS04] Messages from ${c.clientIp} temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes`,
  ),
  gmail_4728: t(
    'gmail-4.7.28',
    '4.7.28',
    '421',
    'defer',
    'remote',
    (c) =>
      `421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. For more information, go to https://support.google.com/mail/?p=UnsolicitedRateLimitError ${GMAIL(c)}`,
  ),
  gmail_422: t(
    'gmail-4.2.2',
    '4.2.2',
    '452',
    'defer',
    'remote',
    (c) =>
      `452-4.2.2 The recipient's inbox is out of storage space. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp ${GMAIL(c)}`,
  ),
  eop_47500: t(
    'eop-4.7.500',
    '4.7.500',
    '451',
    'defer',
    'remote',
    (c) => `451 4.7.500 Server busy. Please try again later from [${c.clientIp}]. (AS770) ${c.stamp}`,
  ),
  eop_47650: t(
    'eop-4.7.650',
    '4.7.650',
    '451',
    'defer',
    'remote',
    (c) =>
      `451 4.7.650 The mail server [${c.clientIp}] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://aka.ms/postmaster ${c.stamp}`,
  ),

  // Expiry after deferrals (the final Fail of a deferred message).
  expired_54316: t(
    'expired-5.4.316',
    '5.4.316',
    '550',
    'fail',
    'remote',
    () => '550 5.4.316 Message expired, connection refused(Socket error code 10061)',
  ),
  expired_54312: t(
    'expired-5.4.312',
    '5.4.312',
    '550',
    'fail',
    'remote',
    () => '550 5.4.312 Message expired, DNS query failed(ServerFailure)',
  ),
  expired_447: t(
    'expired-4.4.7',
    '4.4.7',
    '550',
    'fail',
    'remote',
    (c) =>
      `550 4.4.7 QUEUE.Expired; message expired [LastAttemptedServerName=${c.host}] [LastAttemptedIP=${c.hostIp}:25] ${c.stamp}`,
  ),

  // Exchange Online's own rejections.
  exo_5110: t(
    'exo-5.1.10',
    '5.1.10',
    '550',
    'fail',
    'internal',
    (c) => `550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient ${c.rcpt} not found by SMTP address lookup`,
  ),
  exo_522: t(
    'exo-5.2.2',
    '5.2.2',
    '554',
    'fail',
    'internal',
    (c) =>
      `554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Cannot open mailbox for ${c.rcpt}. MapiExceptionShutoffQuotaExceeded[EndDiagnosticData] ${c.stamp}`,
  ),
  exo_571: t(
    'exo-5.7.1',
    '5.7.1',
    '550',
    'fail',
    'internal',
    () => '550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized',
  ),
  exo_5723_inbound: t(
    'exo-5.7.23',
    '5.7.23',
    '550',
    'fail',
    'internal',
    (c) => `550 5.7.23 The message was rejected because of Sender Policy Framework violation ${c.stamp}`,
  ),
  exo_432: t(
    'exo-4.3.2',
    '4.3.2',
    '432',
    'defer',
    'internal',
    () => '432 4.3.2 STOREDRV.Deliver; recipient thread limit exceeded',
  ),
  exo_705: t(
    'exo-5.7.705',
    '5.7.705',
    '550',
    'fail',
    'internal',
    (c) => `550 5.7.705 Access denied, tenant has exceeded threshold. ${FWLINK} AS(2703) ${c.stamp}`,
  ),
  exo_708: t(
    'exo-5.7.708',
    '5.7.708',
    '550',
    'fail',
    'internal',
    (c) =>
      `550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP. ${FWLINK} AS(7230) ${c.stamp}`,
  ),
  exo_750: t(
    'exo-5.7.750',
    '5.7.750',
    '550',
    'fail',
    'internal',
    (c) =>
      `550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains. ${FWLINK} AS(9032) ${c.stamp}`,
  ),

  // Not a bounce: a distribution list expanded (Drop event with a 2xx reply).
  dl_215: t(
    'dl-2.1.5',
    '2.1.5',
    '250',
    'drop',
    'internal',
    () => '250 2.1.5 RESOLVER.GRP.Expanded; Distribution list expanded',
  ),

  // NDR-only texts: Exchange's delay notice, late bounces written by remote MTAs (Postfix / Sendmail).
  dsn_delay_447: t('dsn-delay-4.4.7', '4.4.7', '400', 'defer', 'internal', () => '400 4.4.7 Message delayed'),
  late_522: t(
    'late-5.2.2',
    '5.2.2',
    '552',
    'fail',
    'remote',
    (c) => `552 5.2.2 <${c.rcpt}>: Mailbox full - quota exceeded`,
  ),
  late_511: t('late-5.1.1', '5.1.1', '550', 'fail', 'remote', (c) => `550 5.1.1 <${c.rcpt}>... User unknown`),
} as const satisfies Record<string, ReplyTemplate>;

/** Exchange's banned-sending-IP rejections (5.7.606–649), each naming the IP. */
export const BANNED_IP_REPLIES: readonly ReplyTemplate[] = ['5.7.606', '5.7.610', '5.7.627', '5.7.641'].map((code) =>
  t(
    `eop-${code}`,
    code,
    '550',
    'fail',
    'remote',
    (c) =>
      `550 ${code} Access denied, banned sending IP [${c.clientIp}]. To request removal from this list please visit https://sender.office.com/ and follow the directions. For more information please go to http://go.microsoft.com/fwlink/?LinkID=526655 AS(1430) ${c.stamp}`,
  ),
);

/** Every template, for tests (intended code vs classifier). */
export const ALL_REPLIES: readonly ReplyTemplate[] = [...Object.values(REPLIES), ...BANNED_IP_REPLIES];
