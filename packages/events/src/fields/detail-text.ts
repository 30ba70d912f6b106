/**
 * The few facts worth lifting out of a detail event's text and Data XML (INPUT-FORMATS §2.3, §2.4).
 * Reason text is anchored on its field labels, never split on `;` (values contain `;`, `[`, `{`).
 * Only cheap `indexOf`/regex work: the classifier owns everything else in the text.
 */

const FQDN_IP = /\};\{FQDN=([^{}]*)\};\{IP=([^{}]*)\};\{LRT=/;
const PROXY_HOST = /OutboundProxyTargetHostName: ?([^\s]+?)\.?(?:\s|$)/;
const PROXY_IP = /OutboundProxyTargetIP: ?([0-9A-Fa-f:.]+?)\.?(?:\s|$)/;
const ENHANCED = /\b([245]\.\d{1,3}\.\d{1,3})\b/;

interface Mep {
  /** `"Name"`: a cheap `includes` before the regex. */
  quoted: string;
  re: RegExp;
}

function mep(name: string): Mep {
  return { quoted: `"${name}"`, re: new RegExp(`Name="${name}"\\s+(?:String|Integer|Long|Blob)="([^"]*)"`) };
}

function mepOf(data: string, m: Mep): string | null {
  if (!data.includes(m.quoted)) return null;
  const v = m.re.exec(data)?.[1]?.trim();
  return v ? v : null;
}

const CLIENT_IP = mep('ClientIP');
const PROXY_IP_MEP = mep('OutboundProxyTargetIPAddress');
const PROXY_HOST_MEP = mep('OutboundProxyTargetHostName');
const RECIPIENT_STATUS = mep('RecipientStatus');

const mepCache = new Map<string, Mep>();
/** `<MEP Name="ClientIP" String="198.51.100.23" />` → `198.51.100.23` (any value attribute). */
export function mepValue(data: string | null | undefined, name: string): string | null {
  if (!data) return null;
  let m = mepCache.get(name);
  if (m === undefined) {
    m = mep(name);
    mepCache.set(name, m);
  }
  return mepOf(data, m);
}

export interface DetailFacts {
  fromIp: string | null;
  toIp: string | null;
  remoteMta: string | null;
  statusCode: string | null;
}

/** Remote host/IP from the Reason block or the proxy trailer, client IP and status code from Data. */
export function detailFacts(text: string | null | undefined, data: string | null | undefined): DetailFacts {
  let toIp: string | null = null;
  let remoteMta: string | null = null;
  if (text) {
    const m = text.includes('{FQDN=') ? FQDN_IP.exec(text) : null;
    if (m) {
      remoteMta = m[1]!.trim().toLowerCase() || null;
      toIp = m[2]!.trim() || null;
    }
    if (remoteMta === null && text.includes('OutboundProxyTargetHostName')) {
      remoteMta = PROXY_HOST.exec(text)?.[1]?.toLowerCase() ?? null;
    }
    if (toIp === null && text.includes('OutboundProxyTargetIP')) toIp = PROXY_IP.exec(text)?.[1] ?? null;
  }
  if (!data) return { fromIp: null, toIp, remoteMta, statusCode: null };
  toIp ??= mepOf(data, PROXY_IP_MEP);
  remoteMta ??= mepOf(data, PROXY_HOST_MEP)?.toLowerCase() ?? null;
  const recipientStatus = mepOf(data, RECIPIENT_STATUS);
  return {
    fromIp: mepOf(data, CLIENT_IP),
    toIp,
    remoteMta,
    statusCode: recipientStatus === null ? null : (ENHANCED.exec(recipientStatus)?.[1] ?? null),
  };
}
