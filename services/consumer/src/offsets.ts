/**
 * Per-partition offsets between commits: what has been read into the buffer (to commit after
 * a successful flush) and where the buffer started (to seek back to when a flush is abandoned).
 */
export interface TopicPartitionOffset {
  readonly topic: string;
  readonly partition: number;
  /** The next offset to read, as Kafka commits it (last processed + 1). */
  readonly offset: string;
}

export class OffsetTracker {
  /** Next offset to commit per "topic\0partition". */
  private next = new Map<string, { topic: string; partition: number; next: bigint; first: bigint }>();

  /** Records that `offset` has been read into the buffer. */
  track(topic: string, partition: number, offset: string): void {
    const k = `${topic}\0${partition}`;
    const o = BigInt(offset);
    const cur = this.next.get(k);
    if (!cur) this.next.set(k, { topic, partition, next: o + 1n, first: o });
    else if (o + 1n > cur.next) cur.next = o + 1n;
  }

  get size(): number {
    return this.next.size;
  }

  /** Hands over the offsets to commit and where each partition's uncommitted data began. */
  take(): { commit: TopicPartitionOffset[]; rewind: TopicPartitionOffset[] } {
    const commit: TopicPartitionOffset[] = [];
    const rewind: TopicPartitionOffset[] = [];
    for (const v of this.next.values()) {
      commit.push({ topic: v.topic, partition: v.partition, offset: v.next.toString() });
      rewind.push({ topic: v.topic, partition: v.partition, offset: v.first.toString() });
    }
    this.next = new Map();
    return { commit, rewind };
  }

  /** Forgets partitions (revoked in a rebalance): their new owner starts from the last commit. */
  forget(keep: (topic: string, partition: number) => boolean): void {
    for (const [k, v] of this.next) if (!keep(v.topic, v.partition)) this.next.delete(k);
  }
}
