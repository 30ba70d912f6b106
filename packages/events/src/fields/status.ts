/**
 * Status and event names, normalised to lower snake case whatever the surface's casing
 * (`FilteredAsSpam`, `filteredAsSpam`, `Send external`, `SENDEXTERNAL`, `DLP rule`), plus the
 * terminal flag and the rank that orders a row's statuses over time.
 */

/** Aliases that different tools use for the same event (INPUT-FORMATS §2.2). */
const ALIASES: Record<string, string> = {
  expand_dl: 'expand',
  resolved: 'resolve',
  sendexternal: 'send_external',
  transportrule: 'transport_rule',
};

const cache = new Map<string, string>();
const CACHE_LIMIT = 2048;

function snake(raw: string): string {
  const s = raw
    .trim()
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return ALIASES[s] ?? s;
}

/** `GettingStatus` / `gettingStatus` / `Getting Status` → `getting_status`. Memoised: the set is small. */
export function toSnake(raw: string): string {
  let out = cache.get(raw);
  if (out === undefined) {
    out = snake(raw);
    if (cache.size < CACHE_LIMIT) cache.set(raw, out);
  }
  return out;
}

/** Statuses after which a row is expected to change again. */
const NON_TERMINAL = new Set(['getting_status', 'pending', 'defer', 'delayed']);

export function isTerminal(status: string): boolean {
  return !NON_TERMINAL.has(status);
}

/**
 * Trace rows (one per message × recipient, upserted on the natural key): `getting_status` 0 <
 * `pending` 1 < every other status 2 < `recalled` 3 (Graph only; a recall follows delivery).
 * Unknown future values count as terminal (2).
 */
export function traceStatusRank(status: string): number {
  switch (status) {
    case 'getting_status':
      return 0;
    case 'pending':
      return 1;
    case 'recalled':
      return 3;
    default:
      return 2;
  }
}

/**
 * Detail events are immutable facts with their own keys; their rank is the phase order the doc
 * recommends for events within the same second (§2.1): receive 0 < submit 1 < rules, routing and
 * anything unknown 2 < deliver/send/fail/defer 3 < drop 4.
 */
export function detailPhaseRank(event: string): number {
  switch (event) {
    case 'receive':
      return 0;
    case 'submit':
      return 1;
    case 'deliver':
    case 'send':
    case 'send_external':
    case 'fail':
    case 'defer':
      return 3;
    case 'drop':
      return 4;
    default:
      return 2;
  }
}

/** RFC 3464 `Action` values. */
export const DSN_ACTIONS = ['failed', 'delayed', 'delivered', 'relayed', 'expanded'] as const;
export type DsnAction = (typeof DSN_ACTIONS)[number];

/** NDRs: `delayed` 1 < any final action 2 (several delay notices may precede the failure). */
export function dsnActionRank(action: DsnAction): number {
  return action === 'delayed' ? 1 : 2;
}
