/**
 * How the writer cuts a batch into INSERTs and what each INSERT carries. The client here is a
 * recorder standing in for @clickhouse/client's `insert` (pure logic); the real server is exercised
 * by test/integration (modern-clickhouse, pipeline-basics, backfill, e2e).
 */
import type { Readable } from 'node:stream';
import type { ClickHouseClient } from '@clickhouse/client';
import { describe, expect, it } from 'vitest';
import { EventBuffer } from '../src/event-buffer.js';
import type { EventRow } from '../src/rows.js';
import { EVENT_COLUMNS } from '../src/tsv.js';
import { createWriter } from '../src/writer.js';

const row = (i: number): EventRow => ({
  event_time: 1_795_161_613 + i,
  tenant: 'contoso.onmicrosoft.com',
  schema: 'message_trace',
  natural_key: `mt|${i}|ap@fabrikam.com`,
  message_key: `${i}|ap@fabrikam.com`,
  version: 1,
  status: 'delivered',
  terminal: 1,
  bounce: 0,
  direction: 'outbound',
  sender: 'billing@contoso.com',
  recipient: 'ap@fabrikam.com',
  sender_domain: 'contoso.com',
  recipient_domain: 'fabrikam.com',
  ip: '',
  code: '',
  reply: '',
  entry: '',
  class: 'unknown',
  reason: 'other',
  category: 'other',
  alert_tags: [],
  matched_by: 'none',
  message_trace_id: `${i}`,
  message_id: `<${i}@contoso.com>`,
  subject: 'Invoice',
  size_bytes: 100,
  diagnostic: '',
  source: `kafka:t/0/${i}`,
  ingested_at: 1_795_161_700,
});

interface Call {
  table: string;
  format: string;
  columns: string[];
  body: string;
}

async function readAll(s: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of s) parts.push(Buffer.from(c as Buffer));
  return Buffer.concat(parts).toString();
}

function recorder(failures: Error[] = []) {
  const calls: Call[] = [];
  const client = {
    async insert(p: { table: string; format: string; columns: string[]; values: Readable }) {
      const body = await readAll(p.values);
      calls.push({ table: p.table, format: p.format, columns: p.columns, body });
      const f = failures.shift();
      if (f) throw f;
      return { executed: true, query_id: 'q' };
    },
  } as unknown as ClickHouseClient;
  return { client, calls };
}

describe('createWriter', () => {
  it('sends one TabSeparated INSERT into events with the column list, and nothing for an empty batch', async () => {
    const { client, calls } = recorder();
    const w = createWriter({ database: 'ndr' }, { client });
    const batch = EventBuffer.of([row(1), row(2), row(3)]);
    expect(await w.write(batch)).toMatchObject({ events: 3 });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ table: '`ndr`.events', format: 'TabSeparated', columns: [...EVENT_COLUMNS] });
    expect(calls[0]!.body).toBe(Buffer.concat(batch.chunks).toString());
    await w.write(new EventBuffer().drain());
    expect(calls).toHaveLength(1);
  });

  it('splits a large batch into INSERTs of at most maxRowsPerInsert rows, on row boundaries, losing none', async () => {
    const { client, calls } = recorder();
    const w = createWriter({ database: 'ndr', maxRowsPerInsert: 1_000 }, { client });
    const batch = EventBuffer.of(Array.from({ length: 5_000 }, (_, i) => row(i)));
    expect(batch.chunks.length).toBeGreaterThan(5);
    await w.write(batch);
    expect(calls.length).toBeGreaterThanOrEqual(5);
    const lines = calls.map((c) => c.body.split('\n').slice(0, -1));
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(1_000);
    expect(calls.map((c) => c.body).join('')).toBe(Buffer.concat(batch.chunks).toString());
  });

  it('re-sends the whole body on a retry (a stream is read once; each attempt gets a fresh one)', async () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const { client, calls } = recorder([reset]);
    const w = createWriter(
      { database: 'ndr', retry: { maxRetries: 3, initialDelayMs: 1, maxDelayMs: 2 } },
      { client, sleep: async () => undefined },
    );
    const batch = EventBuffer.of([row(1), row(2)]);
    await w.write(batch);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.body).toBe(calls[0]!.body);
    expect(calls[1]!.body.split('\n')).toHaveLength(3);
  });
});
