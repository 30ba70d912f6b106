export { createClickHouseClient, type ClientOptions } from './client.js';
export {
  migrate,
  parseMigration,
  readMigrations,
  type Migration,
  type MigrationResult,
  type MigrationStatement,
  type MigrateOptions,
} from './migrations.js';
export { detectServer, parseVersion, type ServerFeatures, type ServerInfo } from './server-info.js';
export { SqlFragment, identifier, inList, literal, quoteString, raw, sql, type SqlValue } from './sql.js';
export { MIGRATIONS_DIR } from './paths.js';
export { queryRows } from './query.js';
