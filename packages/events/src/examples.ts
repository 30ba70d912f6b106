/**
 * One example message per shape: the 5.7.509 DMARC rejection of INPUT-FORMATS §7 (MessageTraceId
 * 9b8e1c22-…-08de27a19c42) as each surface reports it. Used in the JSON Schemas and the README;
 * tests check that each decodes.
 */
export const EXAMPLES: Readonly<Record<string, Record<string, unknown>>> = {
  'message-trace-v2': {
    Received: '2026-11-20T09:14:02.6012277',
    SenderAddress: 'billing@contoso.com',
    RecipientAddress: 'ap@fabrikam.com',
    Subject: 'Invoice INV-2026-11873 from Contoso',
    Status: 'Failed',
    ToIP: '203.0.113.5',
    FromIP: '192.0.2.44',
    Size: 18734,
    MessageId: '<20261120091401.77D1A0@billing-app.contoso.com>',
    MessageTraceId: '9b8e1c22-4d5f-4e6a-2a31-08de27a19c42',
    Organization: 'contoso.onmicrosoft.com',
  },
  'message-trace-graph': {
    id: '9b8e1c22-4d5f-4e6a-2a31-08de27a19c42',
    senderAddress: 'billing@contoso.com',
    recipientAddress: 'ap@fabrikam.com',
    messageId: '<20261120091401.77D1A0@billing-app.contoso.com>',
    receivedDateTime: '2026-11-20T09:14:02Z',
    subject: 'Invoice INV-2026-11873 from Contoso',
    size: 18734,
    fromIP: '192.0.2.44',
    toIP: '203.0.113.5',
    status: 'failed',
    tenant: 'contoso.onmicrosoft.com',
  },
  'trace-detail-v2': {
    Date: '2026-11-20T09:14:07.5123391',
    Event: 'Fail',
    Action: null,
    Detail:
      'Reason: [{LED=550 5.7.509 Access denied, sending domain [CONTOSO.COM] does not pass DMARC verification and has a DMARC policy of reject. [AM4PEPF00027A5F.eurprd04.prod.outlook.com 2026-11-20T09:14:07.498Z 08DF27A19C42B7E1]};{MSG=};{FQDN=fabrikam-com.mail.protection.outlook.com};{IP=203.0.113.5};{LRT=11/20/2026 9:14:07 AM}]. OutboundProxyTargetIP: 203.0.113.5. OutboundProxyTargetHostName: fabrikam-com.mail.protection.outlook.com',
    Data: '<root><MEP Name="RecipientStatus" String="550 5.7.509" /><MEP Name="SequenceNumber" Long="2" /></root>',
    MessageTraceId: '9b8e1c22-4d5f-4e6a-2a31-08de27a19c42',
    MessageId: '<20261120091401.77D1A0@billing-app.contoso.com>',
    SenderAddress: 'billing@contoso.com',
    RecipientAddress: 'ap@fabrikam.com',
    Organization: 'contoso.onmicrosoft.com',
  },
  'trace-detail-graph': {
    id: '9b8e1c22-4d5f-4e6a-2a31-08de27a19c42',
    dateTime: '2026-11-20T09:14:07Z',
    event: 'Fail',
    action: null,
    description:
      'Reason: [{LED=550 5.7.509 Access denied, sending domain [CONTOSO.COM] does not pass DMARC verification and has a DMARC policy of reject. [AM4PEPF00027A5F.eurprd04.prod.outlook.com 2026-11-20T09:14:07.498Z 08DF27A19C42B7E1]};{MSG=};{FQDN=fabrikam-com.mail.protection.outlook.com};{IP=203.0.113.5};{LRT=11/20/2026 9:14:07 AM}]',
    data: '<root><MEP Name="RecipientStatus" String="550 5.7.509" /></root>',
    messageId: '<20261120091401.77D1A0@billing-app.contoso.com>',
    recipientAddress: 'ap@fabrikam.com',
    senderAddress: 'billing@contoso.com',
    tenant: 'contoso.onmicrosoft.com',
  },
  'ndr-dsn': {
    schema_version: 1,
    tenant: 'contoso.onmicrosoft.com',
    ndr_message_id: '<6c7d8e9f-0a1b-4c2d-9e3f-4a5b6c7d8e90@DM6PR04MB5511.namprd04.prod.outlook.com>',
    ndr_network_message_id: 'b1c2d3e4-f5a6-4b7c-8d9e-08de27a19d53',
    ndr_date: '2026-11-20T09:14:07Z',
    original_sender: 'billing@contoso.com',
    original_message_id: '<20261120091401.77D1A0@billing-app.contoso.com>',
    original_network_message_id: '9b8e1c22-4d5f-4e6a-2a31-08de27a19c42',
    original_subject: 'Invoice INV-2026-11873 from Contoso',
    reporting_mta: 'dns;DM6PR04MB5511.namprd04.prod.outlook.com',
    arrival_date: '2026-11-20T09:14:02Z',
    final_recipient: 'rfc822;ap@fabrikam.com',
    action: 'failed',
    status: '5.7.509',
    diagnostic_code:
      'smtp;550 5.7.509 Access denied, sending domain [CONTOSO.COM] does not pass DMARC verification and has a DMARC policy of reject. [AM4PEPF00027A5F.eurprd04.prod.outlook.com 2026-11-20T09:14:07.498Z 08DF27A19C42B7E1]',
    remote_mta: 'dns;fabrikam-com.mail.protection.outlook.com',
  },
};
