import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OffsetTracker } from '../../../src/core/pipeline/offset-tracker.ts';
import type { TransportRecord } from '../../../src/ports/transport.ts';

function record(partition: number, offset: number, topic = 't'): TransportRecord {
  return { topic, partition, offset, key: 'k', value: '{}', timestamp: 0 };
}

describe('OffsetTracker', () => {
  it('commits only up to the first unfinished record of a partition', () => {
    const tracker = new OffsetTracker();
    const records = [0, 1, 2, 3].map((o) => record(0, o));
    for (const r of records) tracker.track(r);
    tracker.finish(records[1]!);
    tracker.finish(records[3]!);
    assert.deepEqual(tracker.committable(), [{ topic: 't', partition: 0, offset: 0 }]);
    tracker.finish(records[0]!);
    assert.deepEqual(tracker.committable(), [{ topic: 't', partition: 0, offset: 2 }]);
    tracker.finish(records[2]!);
    assert.deepEqual(tracker.committable(), [{ topic: 't', partition: 0, offset: 4 }]);
    assert.equal(tracker.pending, 0);
  });

  it('tracks partitions independently', () => {
    const tracker = new OffsetTracker();
    const a = record(0, 10);
    const b = record(1, 5);
    tracker.track(a);
    tracker.track(b);
    tracker.finish(b);
    const offsets = tracker.committable();
    assert.deepEqual(
      offsets.sort((x, y) => x.partition - y.partition),
      [
        { topic: 't', partition: 0, offset: 10 },
        { topic: 't', partition: 1, offset: 6 },
      ],
    );
  });

  it('reports only offsets that moved since the last commit', () => {
    const tracker = new OffsetTracker();
    const r = record(0, 0);
    tracker.track(r);
    tracker.finish(r);
    const first = tracker.committable();
    tracker.markCommitted(first);
    assert.deepEqual(tracker.committable(), []);
  });

  it('ignores a second finish of the same record', () => {
    const tracker = new OffsetTracker();
    const [a, b] = [record(0, 0), record(0, 1)];
    tracker.track(a);
    tracker.track(b);
    tracker.finish(a);
    tracker.finish(a);
    assert.equal(tracker.pending, 1);
    assert.deepEqual(tracker.committable(), [{ topic: 't', partition: 0, offset: 1 }]);
  });

  it('counts pending per partition and forgets revoked partitions', () => {
    const tracker = new OffsetTracker();
    tracker.track(record(0, 0));
    tracker.track(record(0, 1));
    tracker.track(record(1, 0));
    assert.equal(tracker.pendingIn([{ topic: 't', partition: 0 }]), 2);
    tracker.forget([{ topic: 't', partition: 0 }]);
    assert.equal(tracker.pending, 1);
    assert.deepEqual(tracker.committable(), [{ topic: 't', partition: 1, offset: 0 }]);
  });

  it('stays correct across compaction of a long-lived partition', () => {
    const tracker = new OffsetTracker();
    const records = Array.from({ length: 5000 }, (_, o) => record(0, o));
    for (const r of records) tracker.track(r);
    for (const r of records.slice(0, 4000)) tracker.finish(r);
    assert.deepEqual(tracker.committable(), [{ topic: 't', partition: 0, offset: 4000 }]);
    for (const r of records.slice(4000).reverse()) tracker.finish(r);
    assert.deepEqual(tracker.committable(), [{ topic: 't', partition: 0, offset: 5000 }]);
  });
});
