/**
 * kafkajs 2.2.4 against the broker pinned in infra/kafka/pom.xml: every Kafka API the
 * pipeline relies on (CreateTopics, Metadata, idempotent Produce with acks=-1, the
 * classic consumer-group protocol, OffsetCommit/OffsetFetch, ListOffsets, DeleteGroups,
 * DeleteTopics). Plain kafkajs on purpose, without the project's wrappers, so a failure
 * here is the library's or the broker's.
 *
 * The steps share one topic and group and run in order; each `it` is one behaviour.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectionsFromEnv } from '@ndr/config';
import {
  Kafka,
  Partitioners,
  logLevel,
  type Admin,
  type Consumer,
  type EachBatchPayload,
  type Producer,
} from 'kafkajs';

const brokers = [...connectionsFromEnv(process.env).kafka.brokers];
const PARTITIONS = 3;
const RECORDS = 60;
const TWO_MB = 2 * 1024 * 1024;

interface Received {
  readonly partition: number;
  readonly offset: string;
  readonly key: string;
  readonly size: number;
}

/** Polls `done` until it holds; fails naming what it waited for. */
async function until(what: string, done: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('kafkajs 2.2.4 against the local Kafka broker', () => {
  const topic = `compat-${randomUUID()}`;
  const groupId = `compat-${randomUUID()}`;
  const bigGroupId = `compat-${randomUUID()}`;
  const typoTopic = `${topic}-typo`;
  const kafka = new Kafka({
    clientId: `compat-${randomUUID()}`,
    brokers,
    logLevel: logLevel.WARN,
  });
  const admin: Admin = kafka.admin();
  let producer: Producer | undefined;
  const consumers: Consumer[] = [];
  let cleanedUp = false;

  /** A consumer in `group` that collects records and commits each batch's offsets itself. */
  async function startConsumer(group: string, into: Received[]) {
    const consumer = kafka.consumer({
      groupId: group,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 500,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
    });
    consumers.push(consumer);
    let joinedWith: Record<string, number[]> | undefined;
    let fetchesSinceJoin = 0;
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      joinedWith = e.payload.memberAssignment;
      fetchesSinceJoin = 0;
    });
    consumer.on(consumer.events.FETCH, () => {
      fetchesSinceJoin += 1;
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }: EachBatchPayload) => {
        for (const m of batch.messages) {
          into.push({
            partition: batch.partition,
            offset: m.offset,
            key: m.key?.toString() ?? '',
            size: m.value?.length ?? 0,
          });
        }
        const last = batch.messages.at(-1);
        if (last) {
          await consumer.commitOffsets([
            { topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() },
          ]);
        }
      },
    });
    return {
      consumer,
      assignment: () => joinedWith,
      fetchesSinceJoin: () => fetchesSinceJoin,
    };
  }

  async function stopConsumers() {
    for (const c of consumers.splice(0)) await c.disconnect();
  }

  beforeAll(async () => {
    await admin.connect();
  });

  // Every consumer leaves the group when its step ends, passed or failed.
  afterEach(async () => {
    await stopConsumers();
  });

  afterAll(async () => {
    // Best effort when a step failed before the cleanup step ran.
    await producer?.disconnect().catch(() => undefined);
    if (!cleanedUp) {
      await admin.deleteGroups([groupId, bigGroupId]).catch(() => undefined);
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    }
    // Exists only if the broker auto-created it, which the typo step checks against.
    if ((await admin.listTopics()).includes(typoTopic)) await admin.deleteTopics({ topics: [typoTopic] });
    await admin.disconnect();
  });

  it('creates a topic with 3 partitions and reports each partition with a leader', async () => {
    const created = await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
    });
    expect(created).toBe(true);

    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(topics).toHaveLength(1);
    expect(topics[0]?.name).toBe(topic);
    const partitions = [...(topics[0]?.partitions ?? [])].sort((a, b) => a.partitionId - b.partitionId);
    expect(partitions.map((p) => p.partitionId)).toEqual([0, 1, 2]);
    for (const p of partitions) {
      expect(p.leader).toBeGreaterThanOrEqual(0);
      expect(p.isr).toEqual([p.leader]);
    }
  });

  it('refuses records for an unknown topic even when the client asks for auto-creation', async () => {
    // The broker runs with auto.create.topics.enable=false, so a mistyped topic fails
    // loudly. Its own client with logging off: kafkajs logs the refusal as an ERROR.
    const quiet = new Kafka({ clientId: `compat-${randomUUID()}`, brokers, logLevel: logLevel.NOTHING });
    const p = quiet.producer({
      allowAutoTopicCreation: true,
      retry: { retries: 0 },
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await p.connect();
    try {
      await expect(p.send({ topic: typoTopic, acks: -1, messages: [{ key: 'k', value: 'v' }] })).rejects.toThrow(
        /does not host this topic-partition/,
      );
    } finally {
      await p.disconnect();
    }
    expect(await admin.listTopics()).not.toContain(typoTopic);
  });

  it('sends keyed records to every partition with an idempotent producer and acks=-1', async () => {
    producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const messages = Array.from({ length: RECORDS }, (_, i) => ({
      key: `sender-${i}@contoso.example`,
      value: JSON.stringify({ i, status: 'Failed', detail: '550 5.1.1 RESOLVER.ADR.RecipNotFound' }),
    }));
    const results = await producer.send({ topic, acks: -1, messages });

    expect(results.every((r) => r.errorCode === 0)).toBe(true);
    const offsets = await admin.fetchTopicOffsets(topic);
    const perPartition = offsets.map((o) => Number(o.high) - Number(o.low));
    expect(perPartition).toHaveLength(PARTITIONS);
    for (const n of perPartition) expect(n).toBeGreaterThan(0);
    expect(perPartition.reduce((a, b) => a + b, 0)).toBe(RECORDS);
  });

  it('consumes every record in a group and commits offsets explicitly up to the high watermarks', async () => {
    const received: Received[] = [];
    await startConsumer(groupId, received);
    await until(`${RECORDS} records`, () => received.length >= RECORDS);

    expect(received).toHaveLength(RECORDS);
    expect(new Set(received.map((r) => r.key)).size).toBe(RECORDS);
    expect(new Set(received.map((r) => r.partition))).toEqual(new Set([0, 1, 2]));

    const high = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, o.high]));
    // The last record is pushed a moment before its batch's commit returns.
    let committed = new Map<number, string>();
    await until(
      'committed offsets to reach the high watermarks',
      async () => {
        const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
        committed = new Map((entry?.partitions ?? []).map((p) => [p.partition, p.offset]));
        return [...high].every(([p, h]) => committed.get(p) === h);
      },
      30_000,
    ).catch(() => undefined);
    expect(Object.fromEntries(committed)).toEqual(Object.fromEntries(high));
  });

  it('gives a second member of the group nothing already committed, then only new records', async () => {
    // The first member has left the group (afterEach); this one starts from the commits.
    const received: Received[] = [];
    const second = await startConsumer(groupId, received);
    await until('the second consumer to join and fetch twice', () => {
      const a = second.assignment();
      return a !== undefined && (a[topic]?.length ?? 0) === PARTITIONS && second.fetchesSinceJoin() >= 2;
    });
    expect(received).toEqual([]);

    const highBefore = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, o.high]));
    const [sent] = await producer!.send({
      topic,
      acks: -1,
      messages: [{ key: 'sentinel@contoso.example', value: 'after-commit' }],
    });
    await until('the record produced after the commit', () => received.length >= 1);
    // One more fetch round, so a stray redelivery would show up too.
    const fetches = second.fetchesSinceJoin();
    await until('another fetch', () => second.fetchesSinceJoin() >= fetches + 2);

    expect(received).toHaveLength(1);
    expect(received[0]?.key).toBe('sentinel@contoso.example');
    expect(received[0]?.partition).toBe(sent?.partition);
    expect(received[0]?.offset).toBe(highBefore.get(sent!.partition));
  });

  it('accepts a 2 MB record and delivers it whole', async () => {
    const value = Buffer.alloc(TWO_MB, 'x');
    const [meta] = await producer!.send({ topic, acks: -1, messages: [{ key: 'large', value }] });
    expect(meta?.errorCode).toBe(0);

    const received: Received[] = [];
    await startConsumer(bigGroupId, received);
    await until('the 2 MB record', () => received.some((r) => r.key === 'large'));
    expect(received.find((r) => r.key === 'large')?.size).toBe(TWO_MB);
  });

  it('deletes the consumer groups and the topic it created', async () => {
    await producer?.disconnect();
    producer = undefined;
    const deleted = await admin.deleteGroups([groupId, bigGroupId]);
    expect(deleted.map((d) => d.errorCode)).toEqual([0, 0]);
    await admin.deleteTopics({ topics: [topic] });
    cleanedUp = true;

    const { groups } = await admin.listGroups();
    expect(groups.map((g) => g.groupId)).not.toContain(groupId);
    await until('the topic to leave the metadata', async () => !(await admin.listTopics()).includes(topic));
  });
});
