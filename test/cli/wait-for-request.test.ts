import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deliveriesOf, isEntryFinal } from '../../src/cli/wait-for-request.ts';

describe('what herald send --wait waits for', () => {
  it('takes an undelivered AlimTalk by its fallback SMS, final once the fallback is', () => {
    const pending = {
      index: 0,
      messageId: 'a',
      status: 'undelivered',
      fallback: { messageId: 'f', status: 'queued' },
    };
    assert.equal(isEntryFinal(pending), false);
    const sent = { ...pending, fallback: { messageId: 'f', status: 'sent' } };
    assert.equal(isEntryFinal(sent), true);
    assert.deepEqual(deliveriesOf(sent), [{ messageId: 'f', status: 'sent' }]);
  });

  it('takes a delivered AlimTalk, or an undelivered one without fallback, by itself', () => {
    const delivered = { index: 0, messageId: 'a', status: 'delivered' };
    assert.equal(isEntryFinal(delivered), true);
    assert.deepEqual(deliveriesOf(delivered), [delivered]);
    const lost = { index: 1, messageId: 'b', status: 'undelivered' };
    assert.deepEqual(deliveriesOf(lost), [lost]);
  });

  it('takes a resolved push to a user by its device messages', () => {
    const entry = {
      index: 0,
      messageId: 'u',
      status: 'expanded',
      devices: [{ messageId: 'd', status: 'sending' }],
    };
    assert.equal(isEntryFinal(entry), false);
    assert.deepEqual(deliveriesOf(entry), entry.devices);
  });
});
