import { fileURLToPath } from 'node:url';

/** The repository's migrations folder: one source of SQL truth for tests, the CLI and deployments. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../infra/clickhouse/migrations/', import.meta.url));
