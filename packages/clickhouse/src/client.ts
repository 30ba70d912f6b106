import { readFileSync } from 'node:fs';
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import type { ClickHouseConnection } from '@ndr/config';

export interface ClientOptions {
  /** Default database for unqualified names; `null` for the server's default (before it exists). */
  readonly database?: string | null;
  readonly application?: string;
  /** gzip request bodies: worth it over a network, not on loopback. */
  readonly compressRequests?: boolean;
  readonly maxOpenConnections?: number;
}

/** One place that turns connection settings into a @clickhouse/client instance. */
export function createClickHouseClient(conn: ClickHouseConnection, opts: ClientOptions = {}): ClickHouseClient {
  const database = opts.database === undefined ? conn.database : opts.database;
  return createClient({
    url: conn.url,
    username: conn.username,
    password: conn.password,
    ...(database ? { database } : {}),
    application: opts.application ?? 'ndr-pipeline',
    request_timeout: conn.requestTimeoutMs,
    max_open_connections: opts.maxOpenConnections ?? 10,
    compression: { request: opts.compressRequests ?? false, response: false },
    // Debian's 18.16 and ClickHouse Cloud close idle sockets after 3 s; stay below it.
    keep_alive: { enabled: true, idle_socket_ttl: 2500 },
    // Errors reach the caller, which logs them with context; the client's own logger would repeat them.
    log: { level: ClickHouseLogLevel.OFF },
    ...(conn.caFile ? { tls: { ca_cert: readFileSync(conn.caFile) } } : {}),
  });
}
