import { describe, expect, it } from 'vitest';
import { OffsetTracker } from '../src/offsets.js';

describe('OffsetTracker', () => {
  it('commits the next offset per partition and rewinds to where the buffer began', () => {
    const t = new OffsetTracker();
    t.track('a', 0, '10');
    t.track('a', 0, '11');
    t.track('a', 1, '5');
    t.track('b', 0, '99');
    const { commit, rewind } = t.take();
    expect(commit).toEqual([
      { topic: 'a', partition: 0, offset: '12' },
      { topic: 'a', partition: 1, offset: '6' },
      { topic: 'b', partition: 0, offset: '100' },
    ]);
    expect(rewind).toEqual([
      { topic: 'a', partition: 0, offset: '10' },
      { topic: 'a', partition: 1, offset: '5' },
      { topic: 'b', partition: 0, offset: '99' },
    ]);
    expect(t.size).toBe(0);
  });

  it('never moves a commit backwards within a buffer and handles offsets past 2^53', () => {
    const t = new OffsetTracker();
    t.track('a', 0, '9007199254740993');
    t.track('a', 0, '9007199254740992');
    expect(t.take().commit).toEqual([{ topic: 'a', partition: 0, offset: '9007199254740994' }]);
  });

  it('forgets revoked partitions', () => {
    const t = new OffsetTracker();
    t.track('a', 0, '1');
    t.track('a', 1, '1');
    t.forget((_topic, p) => p === 1);
    expect(t.take().commit.map((c) => c.partition)).toEqual([1]);
  });
});
