/**
 * The decoder's fast path (`fastParse` in each schema file) must never accept what the zod schema rejects,
 * and must output exactly what zod outputs; when it declines, zod decides (and names the issues).
 */
import { describe, expect, it } from 'vitest';
import { EXAMPLES, messageTraceGraph, messageTraceV2, ndrDsn, traceDetailGraph, traceDetailV2 } from '@ndr/events';

const MODULES = [messageTraceV2, messageTraceGraph, traceDetailV2, traceDetailGraph, ndrDsn];

const VALUES: unknown[] = [
  undefined,
  null,
  0,
  -0,
  -1,
  1.5,
  2 ** 53,
  true,
  [],
  {},
  '',
  ' ',
  'x',
  'A'.repeat(256),
  'constructor',
  ' Outbound ',
  'Intra-org',
  'INBOUND',
  ' DELAYED ',
  'Failed',
  ' 5.7.509 ',
  '5.1',
  'rfc822;Ap@Fabrikam.com',
  '2026-11-20T09:14:02Z',
  '2026-11-20 09:14:02,6012277z',
  '2026-11-20T09:14:02.1234567890',
  '2026-11-20T09:14:02.',
  '2026-02-29T00:00:00',
  '2026-11-20T09:14:02+01:00',
  ' 2026-11-20T09:14:02Z ',
  '1999-12-31T23:59:59.999Z',
  '2100-01-01T00:00:00Z',
  'Fri, 20 Nov 2026 09:14:02 +0000',
  '9B8E1C22-4D5F-4E6A-2A31-08DE27A19C42',
  '{9b8e1c22-4d5f-4e6a-2a31-08de27a19c42}',
  '9b8e1c22-4d5f-4e6a-2a31-08de27a19c4g',
];

const EXTRA_FIELDS = ['tenant', 'TenantId', 'tenantId', 'direction', 'Organization', 'schema_version', 'remote_mta'];

describe('fastParse agrees with the zod schema', () => {
  for (const m of MODULES) {
    it(`${m.NAME}: accepts only what zod accepts, with zod's output`, () => {
      const example = { tenant: 'contoso.onmicrosoft.com', ...EXAMPLES[m.NAME]! };
      const plain = m.fastParse(example);
      expect(plain).toBeDefined();
      expect(plain).toEqual(m.schema.parse(example));
      let accepted = 0;
      for (const field of [...Object.keys(example), ...EXTRA_FIELDS]) {
        for (const value of VALUES) {
          const input = { ...example, [field]: value };
          const fast = m.fastParse(input);
          if (fast === undefined) continue;
          accepted++;
          const label = `${field}=${JSON.stringify(value)}`;
          const slow = m.schema.safeParse(input);
          expect(slow.success, label).toBe(true);
          expect(fast, label).toEqual(slow.data);
        }
      }
      expect(accepted).toBeGreaterThan(0);
    });
  }
});
