/**
 * Versioned SQL migrations from `infra/clickhouse/migrations/NNN_name.sql`.
 *
 * - `{{db}}` in a file stands for the target database (quoted identifier).
 * - Statements end with `;` at the end of a line. A line `-- @requires <feature>`
 *   applies to the next statement only: it runs when the server has the feature
 *   (see ServerFeatures) and is recorded as skipped otherwise.
 * - Every statement is recorded in `{{db}}.schema_migrations` once it has run, so
 *   an interrupted migration resumes at its next statement. An applied file whose
 *   text changed is refused: add a new migration instead.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import type { ServerFeatures, ServerInfo } from './server-info.js';
import { identifier, sql } from './sql.js';

export interface MigrationStatement {
  readonly text: string;
  readonly requires: readonly (keyof ServerFeatures)[];
}

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly checksum: string;
  readonly statements: readonly MigrationStatement[];
}

export interface MigrationResult {
  readonly version: number;
  readonly name: string;
  readonly ran: number;
  readonly skipped: number;
  readonly alreadyApplied: number;
}

const FILE = /^(\d{3,})_([a-z0-9_]+)\.sql$/;
const FEATURES: readonly (keyof ServerFeatures)[] = [
  'ttl',
  'queryParams',
  'asyncInsert',
  'insertDeduplicationToken',
  'lowCardinalityNeedsSetting',
  'jsonCompactEachRow',
];

/** Splits a file into statements on `;` at a line end, outside quotes; keeps `@requires` markers. */
export function parseMigration(fileName: string, text: string): Migration {
  const m = FILE.exec(fileName);
  if (!m) throw new Error(`migration file name must look like 001_create_events.sql, got ${fileName}`);
  const statements: MigrationStatement[] = [];
  let current: string[] = [];
  let requires: (keyof ServerFeatures)[] = [];
  let inString = false;
  for (const line of text.split('\n')) {
    const directive = /^\s*--\s*@requires\s+(\w+)\s*$/.exec(line);
    if (directive && !inString) {
      const feature = directive[1] as keyof ServerFeatures;
      if (!FEATURES.includes(feature)) throw new Error(`${fileName}: unknown feature in @requires: ${directive[1]}`);
      requires.push(feature);
      continue;
    }
    // Track single-quoted strings (with backslash escapes) so a ';' inside one does not split.
    let code = line;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === "'") inString = false;
      } else if (c === "'") inString = true;
      else if (c === '-' && line[i + 1] === '-') {
        code = line.slice(0, i);
        break;
      }
    }
    current.push(line);
    if (!inString && /;\s*$/.test(code)) {
      const stmt = current.join('\n').trim().replace(/;\s*$/, '');
      if (stripComments(stmt)) statements.push({ text: stmt, requires });
      current = [];
      requires = [];
    }
  }
  if (stripComments(current.join('\n'))) throw new Error(`${fileName}: last statement has no terminating ';'`);
  return {
    version: Number(m[1]),
    name: m[2] ?? fileName,
    checksum: createHash('sha256').update(text).digest('hex').slice(0, 16),
    statements,
  };
}

const stripComments = (s: string) =>
  s
    .split('\n')
    .filter((l) => !/^\s*--/.test(l))
    .join('\n')
    .trim();

export async function readMigrations(dir: string): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const migrations = await Promise.all(files.map(async (f) => parseMigration(f, await readFile(join(dir, f), 'utf8'))));
  const seen = new Set<number>();
  for (const mg of migrations) {
    if (seen.has(mg.version)) throw new Error(`two migrations share version ${mg.version} in ${dir}`);
    seen.add(mg.version);
  }
  return migrations;
}

export interface MigrateOptions {
  readonly database: string;
  readonly migrations: readonly Migration[];
  readonly server: ServerInfo;
  readonly onStatement?: (m: Migration, index: number, skipped: boolean) => void;
}

/** Applies what has not run yet, in version order. Safe to run repeatedly. */
export async function migrate(client: ClickHouseClient, opts: MigrateOptions): Promise<MigrationResult[]> {
  const db = identifier(opts.database).text;
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${db}` });
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS ${db}.schema_migrations (
      version UInt32, name String, checksum String, step UInt32, skipped UInt8,
      applied_at DateTime('UTC') DEFAULT now()
    ) ENGINE = MergeTree() ORDER BY (version, step)`,
  });
  const rs = await client.query({
    query: `SELECT version, any(checksum) AS checksum, groupArray(step) AS steps FROM ${db}.schema_migrations GROUP BY version`,
    format: 'JSONEachRow',
  });
  const applied = new Map(
    (await rs.json<{ version: number; checksum: string; steps: number[] }>()).map((r) => [Number(r.version), r]),
  );
  const results: MigrationResult[] = [];
  for (const mg of [...opts.migrations].sort((a, b) => a.version - b.version)) {
    const before = applied.get(mg.version);
    if (before && before.checksum !== mg.checksum) {
      throw new Error(
        `migration ${mg.version}_${mg.name} changed after it was applied (checksum ${before.checksum} → ${mg.checksum}); add a new migration instead of editing an applied one`,
      );
    }
    const done = new Set((before?.steps ?? []).map(Number));
    let ran = 0;
    let skipped = 0;
    for (const [i, st] of mg.statements.entries()) {
      if (done.has(i)) continue;
      const skip = st.requires.some((f) => !opts.server.features[f]);
      if (!skip) {
        await client.command({ query: st.text.replaceAll('{{db}}', db), ...settingsFor(st, opts.server) });
        ran++;
      } else skipped++;
      await client.command({
        query: sql`INSERT INTO ${identifier(opts.database)}.schema_migrations (version, name, checksum, step, skipped)
          VALUES (${mg.version}, ${mg.name}, ${mg.checksum}, ${i}, ${skip})`.text,
      });
      opts.onStatement?.(mg, i, skip);
    }
    results.push({ version: mg.version, name: mg.name, ran, skipped, alreadyApplied: done.size });
  }
  return results;
}

/** 18.x needs a setting to create LowCardinality columns; newer servers reject that setting. */
function settingsFor(st: MigrationStatement, server: ServerInfo) {
  if (server.features.lowCardinalityNeedsSetting && /LowCardinality\(/.test(st.text)) {
    return { clickhouse_settings: { allow_experimental_low_cardinality_type: 1 } as Record<string, number> };
  }
  return {};
}
