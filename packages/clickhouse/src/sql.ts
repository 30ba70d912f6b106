/**
 * SQL literals for ClickHouse. 18.16 has no query parameters, so values that reach
 * SQL text are escaped here and nowhere else. Newer servers get the same text.
 */

/** A value that may be interpolated by `sql`. */
export type SqlValue = string | number | bigint | boolean | Date | null | readonly SqlValue[] | SqlFragment;

/** Already-safe SQL text (built by `sql`, `identifier` or `raw`). */
export class SqlFragment {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\0': '\\0',
  '\b': '\\b',
  '\f': '\\f',
};

/** A ClickHouse string literal: backslash escapes for \ ' and control characters. */
export function quoteString(value: string): string {
  return `'${value.replace(/[\\'\n\r\t\0\b\f]/g, (c) => ESCAPES[c] ?? c)}'`;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A database, table or column name; only plain identifiers are accepted. */
export function identifier(name: string): SqlFragment {
  if (!IDENTIFIER.test(name)) throw new TypeError(`not a safe SQL identifier: ${JSON.stringify(name)}`);
  return new SqlFragment(`\`${name}\``);
}

/** SQL text that the caller vouches for (constants in code, never user input). */
export function raw(text: string): SqlFragment {
  return new SqlFragment(text);
}

/** Renders one value as a literal. */
export function literal(value: SqlValue): string {
  if (value instanceof SqlFragment) return value.text;
  if (value === null) return 'NULL';
  if (typeof value === 'string') return quoteString(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot use ${value} in SQL`);
    return String(value);
  }
  if (value instanceof Date) {
    const t = value.getTime();
    if (!Number.isFinite(t)) throw new TypeError('cannot use an invalid Date in SQL');
    return `toDateTime(${Math.floor(t / 1000)}, 'UTC')`;
  }
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  throw new TypeError(`unsupported SQL value of type ${typeof value}`);
}

/** Tagged template: interpolated values become escaped literals. */
export function sql(strings: TemplateStringsArray, ...values: SqlValue[]): SqlFragment {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += literal(v) + (strings[i + 1] ?? '');
  });
  return new SqlFragment(out);
}

/**
 * The right-hand side of `x IN …`: a parenthesised list of literals. (An array literal there is
 * compared as one Array value on 18.16.) An empty list matches nothing.
 */
export function inList(values: readonly SqlValue[]): SqlFragment {
  return new SqlFragment(values.length ? `(${values.map(literal).join(', ')})` : '(NULL)');
}
