/**
 * The synthetic world: tenants, their users and servers, external domains and how each one's mail host
 * answers. Names follow Microsoft's fictitious companies and RFC 2606 `example.*`; every IP is from the
 * documentation ranges 192.0.2.0/24, 198.51.100.0/24 and 203.0.113.0/24.
 */
import type { Rng } from './random.js';

export interface Tenant {
  /** Lower-case initial domain: the tenant id every record carries (`contoso.onmicrosoft.com`). */
  id: string;
  /** A, B, C, D… (scenario roles go by position: A spike, B banned IP, C blocked, D control). */
  label: string;
  /** Primary accepted (mail) domain. */
  domain: string;
  /** Display name of the company, for subjects. */
  company: string;
  /** Outbound relay (line-of-business app / on-premises) IP and host name. */
  relayIp: string;
  relayHost: string;
  /** Exchange Online mailbox servers of the tenant's region. */
  servers: readonly string[];
  /**
   * True when the mail domain's label differs from the tenant label (`northwindtraders.com` vs `northwind`):
   * the pipeline's direction heuristic cannot tell inbound from outbound, so this tenant's producer sets the
   * documented `direction` envelope field on every record (a real poller knows its accepted domains).
   */
  producerSetsDirection: boolean;
}

const TENANT_SEEDS: ReadonlyArray<readonly [string, string, string, string]> = [
  // [tenant label, mail domain, company, region]
  ['contoso', 'contoso.com', 'Contoso', 'namprd04'],
  ['fabrikam', 'fabrikam.com', 'Fabrikam', 'eurprd07'],
  ['northwind', 'northwindtraders.com', 'Northwind Traders', 'namprd12'],
  ['tailspin', 'tailspintoys.com', 'Tailspin Toys', 'apcprd03'],
  ['litware', 'litwareinc.com', 'Litware', 'namprd06'],
  ['wingtip', 'wingtiptoys.com', 'Wingtip Toys', 'eurprd02'],
  ['woodgrove', 'woodgrovebank.com', 'Woodgrove Bank', 'namprd19'],
  ['relecloud', 'relecloud.com', 'Relecloud', 'eurprd05'],
  ['lamna', 'lamnahealthcare.com', 'Lamna Healthcare', 'namprd11'],
  ['proseware', 'proseware.com', 'Proseware', 'eurprd09'],
  ['fourthcoffee', 'fourthcoffee.com', 'Fourth Coffee', 'namprd15'],
  ['bellows', 'bellowscollege.com', 'Bellows College', 'eurprd01'],
];

const RELAY_IPS = ['192.0.2.44', '198.51.100.77', '192.0.2.120', '198.51.100.150'];
const SERVER_SITES: Record<string, readonly string[]> = {
  namprd: ['DM6PR', 'SN7PR', 'CH3PR', 'BN0PR', 'MW4PR', 'PH0PR', 'BY5PR', 'CO1PR'],
  eurprd: ['AM4PR', 'DB9PR', 'VI1PR', 'AS8PR', 'PA4PR', 'DU0PR', 'GV1PR', 'AM9PR'],
  apcprd: ['SG2PR', 'TYZPR', 'KL1PR', 'SEZPR', 'PSAPR', 'TY0PR', 'SI2PR', 'JH0PR'],
};

function label(domain: string): string {
  return domain.slice(0, domain.indexOf('.'));
}

/** The first `count` tenants (4 by default: A contoso, B fabrikam, C northwind, D tailspin). Deterministic. */
export function buildTenants(count: number, rng: Rng): Tenant[] {
  const out: Tenant[] = [];
  for (let i = 0; i < count; i++) {
    const seed = TENANT_SEEDS[i];
    const [name, domain, company, region] = seed ?? [
      `tenant${i + 1}`,
      `tenant${i + 1}.example`,
      `Tenant ${i + 1}`,
      'namprd01',
    ];
    const site = SERVER_SITES[region.slice(0, 6)] ?? SERVER_SITES.namprd!;
    const servers = Array.from({ length: 6 }, (_, k) => {
      const prefix = site[(i + k) % site.length]!;
      return `${prefix}${region.slice(-2)}MB${rng.between(1000, 9999)}.${region}.prod.outlook.com`;
    });
    out.push({
      id: `${name}.onmicrosoft.com`,
      label: i < 26 ? String.fromCharCode(65 + i) : `T${i + 1}`,
      domain,
      company,
      relayIp: RELAY_IPS[i] ?? `${i % 2 ? '198.51.100' : '192.0.2'}.${160 + (i % 90)}`,
      relayHost: `${i === 0 ? 'billing-app' : i === 1 ? 'erp-relay' : 'smtp-relay'}.${domain}`,
      servers,
      producerSetsDirection: label(domain) !== name,
    });
  }
  return out;
}

/** How an external domain's mail host talks: picks the remote reply styles. */
export type HostProfile = 'eop' | 'google' | 'yahoo' | 'outlook' | 'postfix';

export interface ExternalDomain {
  domain: string;
  profile: HostProfile;
  mx: string;
  mxIp: string;
}

const EXTERNAL: ReadonlyArray<readonly [string, HostProfile]> = [
  ['adatum.com', 'eop'],
  ['wideworldimporters.com', 'eop'],
  ['humongousinsurance.com', 'eop'],
  ['blueyonderairlines.com', 'eop'],
  ['southridgevideo.com', 'eop'],
  ['lucernepublishing.com', 'google'],
  ['alpineskihouse.com', 'google'],
  ['margiestravel.com', 'google'],
  ['example.com', 'google'],
  ['example.net', 'yahoo'],
  ['example.org', 'outlook'],
  ['treyresearch.net', 'postfix'],
  ['cohowinery.com', 'postfix'],
  ['graphicdesigninstitute.com', 'postfix'],
];

export function buildExternalDomains(): ExternalDomain[] {
  return EXTERNAL.map(([domain, profile], i) => ({
    domain,
    profile,
    mx:
      profile === 'eop'
        ? `${domain.replace(/\./g, '-')}.mail.protection.outlook.com`
        : profile === 'google'
          ? 'aspmx.l.google.com'
          : profile === 'yahoo'
            ? 'mta7.am0.yahoodns.net'
            : profile === 'outlook'
              ? 'eur.olc.protection.outlook.com'
              : `mx1.${domain}`,
    mxIp: `203.0.113.${5 + i * 7}`,
  }));
}

export const FIRST = [
  'anna',
  'ben',
  'carla',
  'daniel',
  'elena',
  'farid',
  'grace',
  'hiro',
  'ines',
  'jonas',
  'kari',
  'liam',
  'maria',
  'nils',
  'olivia',
  'pedro',
  'quinn',
  'rosa',
  'sam',
  'tariq',
  'uma',
  'viktor',
  'wei',
  'xavier',
  'yara',
  'zoe',
  'ingrid',
  'lars',
  'siri',
  'amir',
  'chloe',
  'diego',
  'fatima',
  'george',
  'hannah',
  'ivan',
  'julia',
  'kenji',
  'lucia',
  'mohammed',
] as const;
export const LAST = [
  'andersen',
  'berg',
  'chen',
  'dahl',
  'evans',
  'fischer',
  'garcia',
  'hansen',
  'ito',
  'johansen',
  'kim',
  'larsen',
  'martin',
  'nguyen',
  'olsen',
  'patel',
  'quist',
  'rossi',
  'silva',
  'tanaka',
  'usman',
  'vik',
  'weber',
  'xu',
  'yilmaz',
  'zhang',
  'haugen',
  'lund',
  'moe',
  'strand',
  'novak',
  'kowalski',
] as const;

/** A person's mailbox address in `domain` (first.last, f.last, firstl or first). */
export function personAddress(rng: Rng, domain: string): string {
  const f = rng.pick(FIRST);
  const l = rng.pick(LAST);
  const style = rng.int(20);
  const local =
    style < 12
      ? `${f}.${l}`
      : style < 15
        ? `${f[0]}.${l}`
        : style < 17
          ? `${f}${l[0]}`
          : style < 19
            ? f
            : `${f}.${l}${rng.between(2, 99)}`;
  return `${local}@${domain}`;
}

export const ROLE_SENDERS = [
  'billing',
  'noreply',
  'notifications',
  'orders',
  'hr',
  'it-support',
  'sales',
  'newsletter',
] as const;
export const ROLE_RECIPIENTS = [
  'ap',
  'info',
  'orders',
  'support',
  'sales',
  'accounts',
  'invoices',
  'reception',
] as const;
export const INBOUND_SENDERS = [
  'newsletter',
  'noreply',
  'updates',
  'billing',
  'no-reply',
  'events',
  'support',
  'alerts',
] as const;

/** The NDR sender Exchange Online uses in every tenant (INPUT-FORMATS §0.2 rule 2). */
export function ndrSender(tenant: Tenant): string {
  return `MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@${tenant.id}`;
}

/** Exchange Online Protection front-end servers that stamp replies. */
export const EOP_SERVERS = [
  'AM4PEPF00027A5F.eurprd04.prod.outlook.com',
  'BN8NAM12FT045.eop-nam12.prod.protection.outlook.com',
  'DM6NAM12FT012.eop-nam12.prod.protection.outlook.com',
  'DB5EUR03FT012.eop-EUR03.prod.protection.outlook.com',
  'SG1APC01FT031.eop-APC01.prod.protection.outlook.com',
] as const;

/** Exchange Online's own outbound IPs as seen by remote hosts (documentation range). */
export const EXO_OUTBOUND_IPS = ['192.0.2.201', '192.0.2.202', '192.0.2.217', '198.51.100.230'] as const;

const TOPICS = [
  'Q4 planning',
  'Site survey schedule',
  'Budget review',
  'Team offsite',
  'Contract renewal',
  'Project kickoff',
  'Weekly status',
  'Onboarding checklist',
  'Vendor evaluation',
  'Sprint retrospective',
  'Board deck draft',
  'Customer escalation',
  'Travel approval',
  'Office move',
  'Security awareness training',
  'Price list 2027',
];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** A subject line for a person-to-person message. */
export function personSubject(rng: Rng): string {
  const t = rng.pick(TOPICS);
  switch (rng.int(6)) {
    case 0:
      return `RE: ${t}`;
    case 1:
      return `FW: ${t}`;
    case 2:
      return `Meeting: ${t} (${rng.between(1, 28)}/${rng.between(1, 12)})`;
    default:
      return t;
  }
}

/** A subject line for automated mail from a role address (`billing`, `orders`, …). */
export function appSubject(rng: Rng, role: string, company: string, year: number): string {
  switch (role) {
    case 'billing':
      return `Invoice INV-${year}-${rng.between(10000, 99999)} from ${company}`;
    case 'orders':
      return `PO ${rng.between(10000, 99999)} - ${rng.chance(0.5) ? 'revised quantities' : 'order confirmation'}`;
    case 'newsletter':
      return `Your ${MONTHS[rng.int(12)]} product digest`;
    case 'hr':
      return rng.chance(0.5) ? `Holiday schedule ${year + 1}` : 'Benefits enrolment closes Friday';
    case 'it-support':
      return `[Ticket #${rng.between(100000, 999999)}] ${rng.chance(0.5) ? 'Password reset' : 'Laptop replacement'}`;
    case 'sales':
      return `Quote Q-${rng.between(1000, 9999)} for ${company}`;
    default:
      return `Your ${company} account: ${rng.chance(0.5) ? 'security notice' : 'statement is ready'}`;
  }
}

/** A subject line for inbound mail from outside. */
export function inboundSubject(rng: Rng): string {
  switch (rng.int(6)) {
    case 0:
      return `Shipment ${rng.between(1000, 9999)} delayed`;
    case 1:
      return `Webinar: ${rng.pick(TOPICS)}`;
    case 2:
      return `Your ${MONTHS[rng.int(12)]} statement`;
    case 3:
      return `RE: ${rng.pick(TOPICS)}`;
    case 4:
      return 'Last chance: 70% off everything';
    default:
      return `Delivery notification #${rng.between(100000, 999999)}`;
  }
}
