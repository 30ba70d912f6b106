import { describe, expect, it } from 'vitest';
import { identifier, inList, literal, quoteString, sql } from '@ndr/clickhouse';

describe('SQL literals', () => {
  it.each([
    ["it's", "'it\\'s'"],
    ['back\\slash', "'back\\\\slash'"],
    ["'); DROP TABLE events; --", "'\\'); DROP TABLE events; --'"],
    ['line\nbreak\ttab\0nul', "'line\\nbreak\\ttab\\0nul'"],
    ["\\'", "'\\\\\\''"],
  ])('quotes %j so it stays one string literal', (input, expected) => {
    expect(quoteString(input)).toBe(expected);
  });

  it('interpolates values as literals in the sql template', () => {
    const q = sql`SELECT * FROM t WHERE tenant = ${"x' OR 1=1 --"} AND n > ${5} AND ok = ${true} AND c IN ${['a', 'b']}`;
    expect(q.text).toBe("SELECT * FROM t WHERE tenant = 'x\\' OR 1=1 --' AND n > 5 AND ok = 1 AND c IN ['a', 'b']");
  });

  it('renders dates as UTC epoch seconds and refuses non-finite numbers', () => {
    expect(literal(new Date(Date.UTC(2026, 10, 20, 9, 14, 2, 600)))).toBe("toDateTime(1795166042, 'UTC')");
    expect(() => literal(Number.NaN)).toThrow();
    expect(() => literal(new Date('nope'))).toThrow();
  });

  it('renders IN lists as a tuple of escaped literals', () => {
    expect(sql`x IN ${inList(["a'b", 'c'])}`.text).toBe("x IN ('a\\'b', 'c')");
    expect(inList([]).text).toBe('(NULL)');
  });

  it('accepts only plain identifiers', () => {
    expect(identifier('ndr_events').text).toBe('`ndr_events`');
    expect(() => identifier('x`; DROP')).toThrow(/not a safe SQL identifier/);
    expect(() => identifier('1abc')).toThrow();
  });
});
