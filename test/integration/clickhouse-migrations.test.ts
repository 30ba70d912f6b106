import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MIGRATIONS_DIR,
  detectServer,
  migrate,
  parseMigration,
  readMigrations,
  type Migration,
  type ServerInfo,
} from '@ndr/clickhouse';
import { createTestDatabase, type TestDatabase } from '../helpers/clickhouse.js';

describe('ClickHouse migrations against the real server', () => {
  let db: TestDatabase;
  let server: ServerInfo;
  let migrations: Migration[];

  beforeAll(async () => {
    db = await createTestDatabase('migrate');
    server = await detectServer(db.client);
    migrations = await readMigrations(MIGRATIONS_DIR);
  });
  afterAll(async () => db?.drop());

  it('detects the server version and the features that follow from it', () => {
    expect(server.version).toMatch(/^\d+\.\d+/);
    // Features must agree with the version: an 18.x server has none of the newer ones.
    if (server.major < 19) {
      expect(server.features).toMatchObject({ ttl: false, queryParams: false, asyncInsert: false });
    } else if (server.major >= 24) {
      expect(server.features).toMatchObject({ ttl: true, queryParams: true, asyncInsert: true });
    }
  });

  it('applies every migration once and records each statement', async () => {
    expect(migrations.length).toBeGreaterThan(0);
    const first = await migrate(db.client, { database: db.name, migrations, server });
    const statements = migrations.reduce((n, m) => n + m.statements.length, 0);
    expect(first.reduce((n, r) => n + r.ran + r.skipped, 0)).toBe(statements);
    const [ledger] = await db.rows<{ n: number }>(`SELECT count() AS n FROM ${db.name}.schema_migrations`);
    expect(ledger?.n).toBe(statements);
    const tables = await db.rows<{ name: string }>(`SELECT name FROM system.tables WHERE database = '${db.name}'`);
    expect(tables.map((t) => t.name)).toContain('events');
  });

  it('is a no-op the second time', async () => {
    const again = await migrate(db.client, { database: db.name, migrations, server });
    expect(again.every((r) => r.ran === 0 && r.skipped === 0)).toBe(true);
  });

  it('resumes an interrupted migration at its next statement', async () => {
    const m = parseMigration(
      '900_resume_probe.sql',
      'CREATE TABLE {{db}}.probe_a (x UInt8) ENGINE = Memory;\nCREATE TABLE {{db}}.probe_b (x UInt8) ENGINE = Memory;\n',
    );
    // Record step 0 as done without running it: a resumed run must only create probe_b.
    await db.client.command({
      query: `INSERT INTO ${db.name}.schema_migrations (version, name, checksum, step, skipped) VALUES (900, 'resume_probe', '${m.checksum}', 0, 0)`,
    });
    const [r] = await migrate(db.client, { database: db.name, migrations: [m], server });
    expect(r).toMatchObject({ ran: 1, alreadyApplied: 1 });
    const tables = await db.rows<{ name: string }>(
      `SELECT name FROM system.tables WHERE database = '${db.name}' AND name LIKE 'probe_%'`,
    );
    expect(tables.map((t) => t.name)).toEqual(['probe_b']);
  });

  it('refuses an applied migration whose text changed', async () => {
    const edited = parseMigration('900_resume_probe.sql', 'SELECT 1;\n');
    await expect(migrate(db.client, { database: db.name, migrations: [edited], server })).rejects.toThrow(
      /changed after it was applied/,
    );
  });

  it('skips a statement whose feature the server lacks, and records it as skipped', async () => {
    const m = parseMigration(
      '901_feature_probe.sql',
      '-- @requires asyncInsert\nCREATE TABLE {{db}}.needs_async (x UInt8) ENGINE = Memory;\n',
    );
    const [r] = await migrate(db.client, { database: db.name, migrations: [m], server });
    expect(r?.skipped).toBe(server.features.asyncInsert ? 0 : 1);
    expect(r?.ran).toBe(server.features.asyncInsert ? 1 : 0);
  });
});
