import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProduceCoalescer } from '../../../src/adapters/kafka/produce-coalescer.ts';
import type { OutgoingRecord } from '../../../src/ports/transport.ts';

const record = (value: string): OutgoingRecord => ({ topic: 't', key: 'k', value });

/** A send the test completes by hand, recording what each request carried. */
function manualSend() {
  const requests: { values: string[]; done: (error?: Error) => void }[] = [];
  const send = (records: readonly OutgoingRecord[]) =>
    new Promise<void>((resolve, reject) => {
      requests.push({
        values: records.map((r) => r.value),
        done: (error) => (error ? reject(error) : resolve()),
      });
    });
  return { requests, send };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('ProduceCoalescer', () => {
  it('sends the calls made while a request is in flight together in the next, in call order', async () => {
    const { requests, send } = manualSend();
    const coalescer = new ProduceCoalescer(send);
    const first = coalescer.produce([record('a')]);
    const second = coalescer.produce([record('b'), record('c')]);
    const third = coalescer.produce([record('d')]);
    await settle();
    assert.deepEqual(
      requests.map((r) => r.values),
      [['a']],
    );
    requests[0]!.done();
    await first;
    await settle();
    assert.deepEqual(
      requests.map((r) => r.values),
      [['a'], ['b', 'c', 'd']],
    );
    requests[1]!.done();
    await Promise.all([second, third]);
  });

  it('fails every call of a failed request, and goes on with the next', async () => {
    const { requests, send } = manualSend();
    const coalescer = new ProduceCoalescer(send);
    const first = coalescer.produce([record('a')]);
    const second = coalescer.produce([record('b')]);
    const third = coalescer.produce([record('c')]);
    await settle();
    requests[0]!.done();
    await first;
    await settle();
    requests[1]!.done(new Error('broker down'));
    await assert.rejects(second, /broker down/);
    await assert.rejects(third, /broker down/);
    const fourth = coalescer.produce([record('d')]);
    await settle();
    assert.deepEqual(requests[2]!.values, ['d']);
    requests[2]!.done();
    await fourth;
  });

  it('keeps a request within maxBytes, but sends a larger call alone', async () => {
    const { requests, send } = manualSend();
    const coalescer = new ProduceCoalescer(send, 10);
    const calls = [
      coalescer.produce([record('0123')]),
      coalescer.produce([record('0123456789abcdef')]),
      coalescer.produce([record('01')]),
      coalescer.produce([record('0123')]),
      coalescer.produce([record('0123')]),
    ];
    for (let i = 0; i < 4; i++) {
      await settle();
      requests[i]!.done();
    }
    await Promise.all(calls);
    // Key 'k' counts too: 5 + 17 + 3 + 5 + 5 bytes.
    assert.deepEqual(
      requests.map((r) => r.values),
      [['0123'], ['0123456789abcdef'], ['01', '0123'], ['0123']],
    );
  });
});
