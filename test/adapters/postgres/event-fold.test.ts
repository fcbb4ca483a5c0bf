import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldEvents } from '../../../src/adapters/postgres/event-fold.ts';

describe('folding a batch of events into one row change per message', () => {
  it('keeps batch order per message: last status, highest attempt, last vendor, latest time', () => {
    const [delta] = foldEvents([
      { messageId: 'm', status: 'retrying', at: 30, vendor: 'a', attempt: 3 },
      { messageId: 'm', status: 'sending', at: 20, attempt: 2 },
    ]);
    assert.deepEqual(delta, {
      messageId: 'm',
      status: 'sending',
      attempt: 3,
      vendor: 'a',
      vendorMessageId: null,
      carrier: null,
      error: { kind: 'keep' },
      at: 30,
    });
  });

  it('stops at the first terminal event: later ones are history, not state', () => {
    const [delta] = foldEvents([
      { messageId: 'm', status: 'sent', at: 1, vendor: 'a', attempt: 1, vendorMessageId: 'v1' },
      { messageId: 'm', status: 'retrying', at: 2, vendor: 'b', attempt: 2, errorCode: 'E' },
    ]);
    assert.deepEqual(delta, {
      messageId: 'm',
      status: 'sent',
      attempt: 1,
      vendor: 'a',
      vendorMessageId: 'v1',
      carrier: null,
      error: { kind: 'clear' },
      at: 1,
    });
  });

  it('does not let a terminal event a sent row refuses hide a later delivery result it takes', () => {
    const [delta] = foldEvents([
      { messageId: 'm', status: 'duplicate', at: 1 },
      { messageId: 'm', status: 'delivered', at: 2, vendor: 'a', carrier: 'KT' },
    ]);
    assert.equal(delta?.status, 'delivered');
    assert.equal(delta.carrier, 'KT');
  });

  it('sets the error from the last event carrying one, and a later sent clears it', () => {
    const folded = foldEvents([
      { messageId: 'x', status: 'retrying', at: 1, errorCode: 'A', errorMessage: 'first' },
      { messageId: 'x', status: 'retrying', at: 2, errorCode: 'B' },
      { messageId: 'y', status: 'retrying', at: 1, errorCode: 'A' },
      { messageId: 'y', status: 'sent', at: 2 },
    ]);
    assert.deepEqual(
      folded.map((d) => [d.messageId, d.error]),
      [
        ['x', { kind: 'set', code: 'B', message: '' }],
        ['y', { kind: 'clear' }],
      ],
    );
  });

  it("ignores a later request's repeat (duplicate with requestId) but not a worker's duplicate", () => {
    const folded = foldEvents([
      { messageId: 'repeated', status: 'queued', at: 1 },
      { messageId: 'repeated', status: 'duplicate', at: 2, requestId: 'req-2' },
      { messageId: 'only-repeat', status: 'duplicate', at: 2, requestId: 'req-3' },
      { messageId: 'dup', status: 'duplicate', at: 3 },
    ]);
    assert.deepEqual(
      folded.map((d) => [d.messageId, d.status]),
      [
        ['repeated', 'queued'],
        ['dup', 'duplicate'],
      ],
    );
  });
});
