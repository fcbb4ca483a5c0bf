import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BatchingWriter } from '../../../src/core/pipeline/batching-writer.ts';

describe('BatchingWriter', () => {
  it('coalesces concurrent writes into one flush and resolves each writer after it', async () => {
    const flushes: number[][] = [];
    const writer = new BatchingWriter<number>({
      flush: async (items) => {
        flushes.push(items);
      },
      maxDelayMs: 5,
    });
    await Promise.all([writer.write([1, 2]), writer.write([3]), writer.write([4])]);
    assert.deepEqual(flushes, [[1, 2, 3, 4]]);
  });

  it('flushes at once when maxItems are waiting', async () => {
    const flushes: number[][] = [];
    const writer = new BatchingWriter<number>({
      flush: async (items) => {
        flushes.push(items);
      },
      maxItems: 2,
      maxDelayMs: 60_000,
    });
    await writer.write([1, 2]);
    assert.deepEqual(flushes, [[1, 2]]);
  });

  it('keeps items and retries in order when the store fails (retry mode)', async () => {
    let failures = 2;
    const written: number[] = [];
    const writer = new BatchingWriter<number>({
      flush: async (items) => {
        if (failures-- > 0) throw new Error('store down');
        written.push(...items);
      },
      maxDelayMs: 1,
      retryDelayMs: 1,
    });
    await Promise.all([writer.write([1]), writer.write([2])]);
    await writer.write([3]);
    assert.deepEqual(written, [1, 2, 3]);
  });

  it('rejects the writers in reject mode', async () => {
    const writer = new BatchingWriter<number>({
      flush: async () => {
        throw new Error('redis down');
      },
      onError: 'reject',
      maxDelayMs: 1,
    });
    await assert.rejects(writer.write([1]), /redis down/);
  });

  it('drain writes what is buffered', async () => {
    const written: number[] = [];
    const writer = new BatchingWriter<number>({
      flush: async (items) => {
        written.push(...items);
      },
      maxDelayMs: 60_000,
    });
    const pending = writer.write([7]);
    await writer.drain();
    await pending;
    assert.deepEqual(written, [7]);
  });
});
