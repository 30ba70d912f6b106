import { describe, expect, it } from 'vitest';
import { defaultStep, parseDuration, parseTime, resolveQuery } from '../src/query.js';
import { seriesSql, topSql } from '../src/trends.js';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

describe('trend queries', () => {
  it('parses durations and times', () => {
    expect(parseDuration('6h')).toBe(21_600);
    expect(parseDuration('30m')).toBe(1800);
    expect(parseDuration('2d')).toBe(172_800);
    expect(() => parseDuration('6 hours')).toThrow(/duration like/);
    expect(parseTime('now', NOW)).toBe(NOW / 1000);
    expect(parseTime('2026-11-23T11:00:00Z', NOW)).toBe(NOW / 1000 - 3600);
    expect(parseTime('1795000000', NOW)).toBe(1795000000);
    expect(() => parseTime('yesterday-ish', NOW)).toThrow(/expected a time/);
  });

  it('resolves a window with a sensible step', () => {
    const q = resolveQuery({ tenant: 'Contoso.onmicrosoft.com', since: '6h', by: 'ip' }, NOW);
    expect(q).toMatchObject({ tenant: 'contoso.onmicrosoft.com', by: 'ip', stepSeconds: 300, limit: 10 });
    expect(q.to - q.from).toBe(21_600);
    expect(defaultStep(3600)).toBe(60);
    expect(defaultStep(30 * 86_400)).toBe(21_600);
  });

  it('rejects unknown dimensions, bad codes and unknown options', () => {
    expect(() => resolveQuery({ by: 'subject' }, NOW)).toThrow();
    expect(() => resolveQuery({ code: "5.7.509' OR 1=1" }, NOW)).toThrow(/enhanced status code/);
    expect(() => resolveQuery({ tenant: 'a', drop: 'table' }, NOW)).toThrow();
    expect(() => resolveQuery({ step: '90s' }, NOW)).toThrow(/whole minutes/);
  });

  it.each(["x' OR 1=1 --", "a\\' UNION ALL SELECT * FROM system.users --", 'a\nb', "'; DROP DATABASE ndr; --"])(
    'keeps the hostile tenant %j inside one string literal',
    (tenant) => {
      const q = resolveQuery({ tenant, since: '1h' }, NOW);
      for (const text of [seriesSql('ndr', q), topSql('ndr', q)]) {
        const m = /tenant = '((?:[^'\\]|\\.)*)'/.exec(text);
        expect(m, text).not.toBeNull();
        // Unescaping the literal gives back exactly the (lower-cased) tenant.
        const unescaped = m![1]!.replace(
          /\\(.)/g,
          (_all, c: string) => ({ n: '\n', t: '\t', r: '\r', '0': '\0' })[c] ?? c,
        );
        expect(unescaped).toBe(tenant.toLowerCase());
        expect(text).not.toMatch(/DROP DATABASE ndr;\s*--'\s*$/m);
      }
    },
  );
});
