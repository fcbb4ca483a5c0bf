import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { murmur2, partitionForKey } from '../../../src/adapters/sqlite/partition-for-key.ts';

describe('partitionForKey', () => {
  it("computes murmur2 exactly as Kafka's Java client (UtilsTest vectors)", () => {
    const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
    assert.equal(murmur2(encode('21')), -973932308);
    assert.equal(murmur2(encode('foobar')), -790332482);
    assert.equal(murmur2(encode('a-little-bit-long-string')), -985981536);
    assert.equal(murmur2(encode('a-little-bit-longer-string')), -1486304829);
    assert.equal(murmur2(encode('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8')), -58897971);
    assert.equal(murmur2(encode('abc')), 479470107);
  });

  it("maps a key to Kafka's default partition: positive hash modulo the count", () => {
    assert.equal(partitionForKey('21', 12), (-973932308 & 0x7fffffff) % 12);
    assert.equal(partitionForKey('foobar', 7), (-790332482 & 0x7fffffff) % 7);
  });

  it('spreads keys over every partition', () => {
    const counts = new Array<number>(12).fill(0);
    for (let i = 0; i < 12_000; i++) counts[partitionForKey(`message-key-${i}`, 12)]! += 1;
    assert.ok(
      counts.every((count) => count > 700),
      `uneven spread: ${counts.join(', ')}`,
    );
  });
});
