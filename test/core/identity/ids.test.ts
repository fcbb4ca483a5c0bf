import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { derivedId, idTimestamp, newId } from '../../../src/core/identity/ids.ts';

describe('newId', () => {
  it('has the UUIDv7 layout (version 7, variant 10)', () => {
    assert.match(newId(), /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('sorts by creation time as a string', () => {
    const times = [1_700_000_000_000, 1_700_000_000_001, 1_800_000_000_000, 1_800_000_001_000];
    const ids = times.map((t) => newId(t));
    assert.deepEqual([...ids].reverse().sort(), ids);
  });

  it('carries its creation time', () => {
    assert.equal(idTimestamp(newId(1_736_899_200_123)), 1_736_899_200_123);
  });

  it('does not repeat within one millisecond', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newId(1_700_000_000_000)));
    assert.equal(ids.size, 1000);
  });
});

describe('derivedId', () => {
  const parent = newId(1_736_899_200_123);

  it('is the same for the same parent and parts, and differs otherwise', () => {
    assert.equal(derivedId(parent, 'device-a'), derivedId(parent, 'device-a'));
    assert.notEqual(derivedId(parent, 'device-a'), derivedId(parent, 'device-b'));
    assert.notEqual(derivedId(parent, 'device-a'), derivedId(newId(1_736_899_200_123), 'device-a'));
  });

  it("has the UUIDv7 layout with the parent's time (an APNs apns-id must be a UUID)", () => {
    const id = derivedId(parent, 'device-a');
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(idTimestamp(id), 1_736_899_200_123);
  });

  it('still makes a UUID from a parent id that carries no time', () => {
    assert.match(
      derivedId('m-1', 'device-a'),
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
