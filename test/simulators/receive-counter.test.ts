import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReceiveCounter, type ReceiveEvent } from '../../src/simulators/receive-counter.ts';

describe('ReceiveCounter', () => {
  it('lists named vendors with zeros before any call', () => {
    assert.deepEqual(new ReceiveCounter(['a', 'b']).stats(), {
      vendors: {
        a: { received: 0, distinct: 0, duplicates: 0, idempotentReplays: 0, calls: 0 },
        b: { received: 0, distinct: 0, duplicates: 0, idempotentReplays: 0, calls: 0 },
      },
    });
  });

  it('counts deliveries per message id and derives duplicates', () => {
    const counter = new ReceiveCounter(['a']);
    counter.recordDelivery('a', 'm1');
    counter.recordDelivery('a', 'm2');
    counter.recordDelivery('a', 'm1');
    counter.recordIdempotentReplay('a');
    counter.recordDelivery('b', 'm1');
    assert.deepEqual(counter.stats().vendors.a, {
      received: 3,
      distinct: 2,
      duplicates: 1,
      idempotentReplays: 1,
      calls: 0,
    });
    assert.deepEqual(counter.stats().vendors.b, {
      received: 1,
      distinct: 1,
      duplicates: 0,
      idempotentReplays: 0,
      calls: 0,
    });
    assert.equal(counter.countFor('a', 'm1'), 2);
    assert.equal(counter.countFor('a', 'm3'), 0);
    assert.equal(counter.countFor('nobody', 'm1'), 0);
  });

  it('tells listeners of each delivery until they unsubscribe', () => {
    const counter = new ReceiveCounter();
    const events: ReceiveEvent[] = [];
    const unsubscribe = counter.onReceive((event) => events.push(event));
    counter.recordDelivery('a', 'm1');
    unsubscribe();
    counter.recordDelivery('a', 'm2');
    assert.equal(events.length, 1);
    assert.equal(events[0]!.vendorId, 'a');
    assert.equal(events[0]!.messageId, 'm1');
    assert.ok(Math.abs(events[0]!.receivedAt - Date.now()) < 60_000, 'receivedAt is an epoch time in ms');
  });

  it('zeroes counts on reset and keeps the vendors listed', () => {
    const counter = new ReceiveCounter(['a']);
    counter.recordDelivery('a', 'm1');
    counter.recordIdempotentReplay('a');
    counter.reset();
    assert.deepEqual(counter.stats().vendors.a, {
      received: 0,
      distinct: 0,
      duplicates: 0,
      idempotentReplays: 0,
      calls: 0,
    });
    assert.equal(counter.countFor('a', 'm1'), 0);
  });
});
