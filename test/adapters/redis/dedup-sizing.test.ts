import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { jemallocSizeClass, sdsBytes } from '../../../src/adapters/redis/dedup-memory-model.ts';
import {
  measureDedupMemory,
  parseDuration,
  parseRate,
  predictDedupMemory,
  runDedupSizing,
} from '../../../src/adapters/redis/dedup-sizing.ts';
import { ENGINE_URLS, engineSkip } from '../../support/engines.ts';
import { RedisServerProcess } from '../../support/redis-server-process.ts';

/** The store's layout: 'hd:' + tag + 16 raw bytes, value '1'/'2'. */
const STORE_SHAPE = { keyBytes: 20, valueBytes: 1, integerValue: true } as const;

describe('dedup memory model', () => {
  it('rounds allocations up to jemalloc size classes of either spacing', () => {
    const classes8 = [1, 8, 9, 20, 24, 25, 33, 40, 65, 81, 129].map((n) => jemallocSizeClass(n, 8));
    assert.deepEqual(classes8, [8, 8, 16, 24, 24, 32, 40, 40, 80, 96, 160]);
    const classes16 = [1, 9, 20, 24, 33, 40, 65, 129].map((n) => jemallocSizeClass(n, 16));
    assert.deepEqual(classes16, [8, 16, 32, 32, 48, 48, 80, 160]);
  });

  it('sizes a key SDS with the smallest header that fits', () => {
    assert.equal(sdsBytes(20), 22); // sdshdr5: 1 B header + NUL
    assert.equal(sdsBytes(40), 44); // sdshdr8: 3 B header + NUL
    assert.equal(sdsBytes(300), 306); // sdshdr16
  });

  it('predicts the store layout per key, component by component', () => {
    // 1,000/s x 100 s = 100,000 keys; tables of 131,072 slots in both dicts.
    const base = { ratePerSecond: 1_000, windowMs: 100_000, ...STORE_SHAPE };
    const official = predictDedupMemory(base);
    assert.equal(official.keys, 100_000);
    const buckets = (2 * 8 * 131_072) / 100_000;
    assert.deepEqual(official.breakdown, { dictEntry: 24, keySds: 24, value: 0, expiresEntry: 24, buckets });
    assert.equal(official.bytesPerKey, 72 + buckets);
    assert.equal(official.totalBytes, 100_000 * 72 + 2 * 8 * 131_072);
    // Debian's build: 16-byte classes. 116.97 B/key is what a private redis-server 7.0 (Debian)
    // showed as used_memory delta for 100,000 such keys.
    const debian = predictDedupMemory({ ...base, sizeClassQuantum: 16 });
    assert.equal(debian.bytesPerKey.toFixed(2), '116.97');
    assert.equal(debian.memoryUsageCommandBytes, 72);
  });

  it('charges an LRU/LFU policy a robj per key, and cluster mode 16 B per dict entry', () => {
    const base = { ratePerSecond: 1_000, windowMs: 100_000, ...STORE_SHAPE };
    assert.equal(predictDedupMemory({ ...base, maxmemoryPolicy: 'allkeys-lru' }).breakdown.value, 16);
    assert.equal(predictDedupMemory({ ...base, maxmemoryPolicy: 'volatile-lfu' }).breakdown.value, 16);
    assert.equal(predictDedupMemory({ ...base, maxmemoryPolicy: 'noeviction' }).breakdown.value, 0);
    assert.equal(predictDedupMemory({ ...base, cluster: true }).breakdown.dictEntry, 40);
    const text = predictDedupMemory({ ...base, integerValue: false, valueBytes: 1 });
    assert.equal(text.breakdown.value, 24, "an embstr 'c': robj 16 + header 3 + 1 + NUL, in the 24 B class");
  });

  it('recommends maxmemory above the steady state, in whole MiB', () => {
    const prediction = predictDedupMemory({ ratePerSecond: 5_000, windowMs: 24 * 3_600_000, ...STORE_SHAPE });
    assert.equal(prediction.keys, 432_000_000);
    assert.ok(prediction.recommendedMaxmemoryBytes > prediction.totalBytes * 1.2);
    assert.equal(prediction.recommendedMaxmemoryBytes % (1024 * 1024), 0);
  });

  it('refuses a rate or window that is not positive', () => {
    assert.throws(
      () => predictDedupMemory({ ratePerSecond: 0, windowMs: 1_000, ...STORE_SHAPE }),
      RangeError,
    );
    assert.throws(
      () => predictDedupMemory({ ratePerSecond: 10, windowMs: Number.NaN, ...STORE_SHAPE }),
      RangeError,
    );
  });
});

describe('herald dedup sizing (arguments and report)', () => {
  it('reads rates and durations as operators write them', () => {
    assert.deepEqual(['5000/s', '5000', '5k/s', '1.5m/s', 'fast'].map(parseRate), [
      5000,
      5000,
      5000,
      1_500_000,
      NaN,
    ]);
    assert.deepEqual(['24h', '90m', '30s', '7d', '250ms', '1w'].map(parseDuration), [
      86_400_000,
      5_400_000,
      30_000,
      604_800_000,
      250,
      NaN,
    ]);
  });

  it('prints the prediction and the policy advice without touching Redis', async () => {
    let report = '';
    await runDedupSizing(['--rate', '5000/s', '--window', '24h'], { write: (text) => (report += text) });
    assert.match(report, /432,000,000 keys alive at once/);
    assert.match(report, /per key\s+91\.9 B/);
    assert.match(report, /maxmemory-policy: volatile-ttl/);
    assert.doesNotMatch(report, /measured on/);
  });

  it('lists every bad argument with the usage', async () => {
    await assert.rejects(
      runDedupSizing(['--rate', 'lots', '--window', 'soon'], { write: () => {} }),
      (error: Error) => {
        assert.match(error.message, /--rate/);
        assert.match(error.message, /--window/);
        assert.match(error.message, /usage: herald dedup sizing/);
        return true;
      },
    );
  });
});

describe('measuring dedup memory on a live Redis', { skip: await engineSkip('redis') }, () => {
  it('reports a plausible cost per key on the shared Redis', async () => {
    const measured = await measureDedupMemory(ENGINE_URLS.redis, 2_000);
    assert.equal(measured.keyBytes, 20);
    assert.ok(
      measured.memoryUsagePerKey >= 40 && measured.memoryUsagePerKey <= 200,
      `${measured.memoryUsagePerKey}`,
    );
  });

  describe('on a private server', () => {
    let server: RedisServerProcess;
    before(async () => {
      server = await RedisServerProcess.start();
    });
    after(async () => server.dispose());

    it('matches the model for this build, and leaves no key behind', async () => {
      const measured = await measureDedupMemory(server.url, 20_000);
      const shape = { ratePerSecond: 20_000, windowMs: 1_000, ...STORE_SHAPE };
      const predictions = ([8, 16] as const).map((sizeClassQuantum) =>
        predictDedupMemory({ ...shape, sizeClassQuantum }),
      );
      const matching = predictions.find((p) => p.memoryUsageCommandBytes === measured.memoryUsagePerKey);
      assert.ok(matching, `MEMORY USAGE ${measured.memoryUsagePerKey} B is one of the model's`);
      const error = Math.abs(measured.usedMemoryPerKey - matching.bytesPerKey) / matching.bytesPerKey;
      assert.ok(
        error < 0.25,
        `used_memory ${measured.usedMemoryPerKey} B/key vs ${matching.bytesPerKey} predicted`,
      );

      const client = new Redis(server.url);
      try {
        assert.equal(await client.dbsize(), 0);
      } finally {
        client.disconnect();
      }
    });
  });
});
