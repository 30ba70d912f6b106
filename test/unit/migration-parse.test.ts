import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, parseMigration, readMigrations } from '@ndr/clickhouse';

describe('parseMigration', () => {
  it('splits on semicolons at line ends, not inside strings or comments', () => {
    const m = parseMigration(
      '002_x.sql',
      [
        '-- a comment; with a semicolon',
        "CREATE TABLE {{db}}.t (s String DEFAULT 'a;\\'b;') ENGINE = Memory;",
        'INSERT INTO {{db}}.t VALUES',
        "('x;');",
        '-- trailing comment',
      ].join('\n'),
    );
    expect(m.version).toBe(2);
    expect(m.name).toBe('x');
    expect(m.statements).toHaveLength(2);
    expect(m.statements[0]?.text).toContain("DEFAULT 'a;\\'b;'");
    expect(m.statements[1]?.text).toMatch(/^INSERT INTO \{\{db\}\}\.t VALUES\n\('x;'\)$/);
  });

  it('attaches @requires to the next statement only', () => {
    const m = parseMigration('003_y.sql', '-- @requires ttl\nALTER TABLE t MODIFY TTL d;\nSELECT 1;\n');
    expect(m.statements.map((s) => s.requires)).toEqual([['ttl'], []]);
  });

  it('rejects unknown features, bad names and an unterminated statement', () => {
    expect(() => parseMigration('004_z.sql', '-- @requires warp_drive\nSELECT 1;\n')).toThrow(/unknown feature/);
    expect(() => parseMigration('create.sql', 'SELECT 1;')).toThrow(/must look like/);
    expect(() => parseMigration('005_w.sql', 'SELECT 1')).toThrow(/no terminating/);
  });

  it('changes the checksum when the text changes', () => {
    expect(parseMigration('006_a.sql', 'SELECT 1;').checksum).not.toBe(
      parseMigration('006_a.sql', 'SELECT 2;').checksum,
    );
  });

  it('reads the repository migrations with unique versions in order', async () => {
    const ms = await readMigrations(MIGRATIONS_DIR);
    expect(ms.length).toBeGreaterThan(0);
    expect(ms.map((m) => m.version)).toEqual([...ms.map((m) => m.version)].sort((a, b) => a - b));
    for (const m of ms) expect(m.statements.length).toBeGreaterThan(0);
  });
});
