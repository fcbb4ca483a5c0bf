import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { RedisDedupStore } from '../../../src/adapters/redis/redis-dedup-store.ts';
import { describeDedupStoreContract } from '../../contracts/dedup-store.contract.ts';
import { ENGINE_URLS, engineSkip } from '../../support/engines.ts';
import { freePort, RedisServerProcess, startRedisCluster } from '../../support/redis-server-process.ts';

const MINUTE_MS = 60_000;
/** Generous bound for "fails fast": far below a hang, far above a slow CI machine's scheduling. */
const FAIL_FAST_BOUND_MS = 3_000;
/** Reconnect backoff is capped at 2 s; allow for a few attempts. */
const RECOVERY_BOUND_MS = 15_000;

const skip = await engineSkip('redis');
/** Keys of this run never meet keys of another run on the shared Redis. */
const runPrefix = `hd-test-${randomUUID().slice(0, 8)}:`;

/** A message key as core/identity makes them: base64url of 16 hash bytes. */
function messageKey(): string {
  return randomBytes(16).toString('base64url');
}

function messageKeys(count: number): string[] {
  return Array.from({ length: count }, messageKey);
}

/** Retries `attempt` until it resolves, or rethrows its last failure after `timeoutMs`. */
async function eventually<T>(timeoutMs: number, attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function elapsedMs(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

describe('redis dedup store', { skip }, () => {
  describeDedupStoreContract('redis', async () => {
    const store = new RedisDedupStore({ url: ENGINE_URLS.redis, keyPrefix: runPrefix });
    return { store, cleanup: () => store.close() };
  });

  describe('on a Redis Cluster', () => {
    let cluster: Awaited<ReturnType<typeof startRedisCluster>> | undefined;
    const startCluster = async () => {
      cluster ??= await startRedisCluster();
      return cluster;
    };
    after(async () => cluster?.dispose());

    describeDedupStoreContract('redis cluster', async () => {
      const store = new RedisDedupStore({ url: (await startCluster()).url, keyPrefix: runPrefix });
      return { store, cleanup: () => store.close() };
    });

    it('serves a batch whose keys live on different nodes, in one call', async () => {
      const { url } = await startCluster();
      const store = new RedisDedupStore({ url });
      try {
        const keys = messageKeys(60);
        assert.deepEqual(new Set(await store.reserve(keys, MINUTE_MS)), new Set(['reserved']));
        await store.confirm(keys.slice(0, 30), MINUTE_MS);
        await store.release(keys.slice(30));
        const verdicts = await store.reserve(keys, MINUTE_MS);
        assert.deepEqual(verdicts, [...Array(30).fill('sent'), ...Array(30).fill('reserved')]);
        const ports = url.replace('redis+cluster://', '').split(',');
        const perNode = await Promise.all(ports.map((address) => keyCount(`redis://${address}`)));
        assert.ok(perNode.filter((count) => count > 0).length >= 2, `keys spread over nodes: ${perNode}`);
      } finally {
        await store.close();
      }
    });
  });

  describe('adapter only', () => {
    let server: RedisServerProcess;
    let open: RedisDedupStore[];
    let admin: Redis | undefined;

    before(async () => {
      server = await RedisServerProcess.start();
    });
    after(async () => server.dispose());
    beforeEach(() => {
      open = [];
    });
    afterEach(async () => {
      await Promise.all(open.map((store) => store.close()));
      admin?.disconnect();
      admin = undefined;
      if (!server.running) await server.restart(); // a test that stopped the server must not leave it down
    });

    function openStore(url = server.url): RedisDedupStore {
      const store = new RedisDedupStore({ url, commandTimeoutMs: 500, connectTimeoutMs: 1_000 });
      open.push(store);
      return store;
    }

    function adminClient(): Redis {
      admin = new Redis(server.url);
      return admin;
    }

    it('stores a message key as 16 raw bytes with a shared-integer value and the window as TTL', async () => {
      const store = openStore();
      const key = messageKey();
      await store.confirm([key], MINUTE_MS);
      const redisKey = Buffer.concat([Buffer.from('hd:b'), Buffer.from(key, 'base64url')]);
      const client = adminClient();
      assert.equal(await client.get(redisKey), '2');
      assert.equal(await client.object('ENCODING', redisKey), 'int');
      const ttl = await client.pttl(redisKey);
      assert.ok(ttl > MINUTE_MS - 5_000 && ttl <= MINUTE_MS, `TTL ${ttl}`);
    });

    it('sends each batch in one round trip: one command per key, a handful of socket reads', async () => {
      const store = openStore();
      await store.reserve(['warm-up'], MINUTE_MS);
      await store.release(['warm-up']); // loads the release script on this connection
      const client = adminClient();
      const before = await serverStats(client);
      const keys = messageKeys(100);
      await store.reserve(keys, MINUTE_MS);
      await store.release(keys.slice(0, 50));
      await store.confirm(keys.slice(50), MINUTE_MS);
      await store.claimFirst(
        keys.map((key) => ({ key, messageId: randomUUID() })),
        MINUTE_MS,
      );
      const after = await serverStats(client);

      assert.equal(after.calls.set - before.calls.set, 250, 'one SET per reserved, confirmed or claimed key');
      assert.equal(after.calls.evalsha - before.calls.evalsha, 50, 'one EVALSHA per released key');
      // Four batches, plus the read of the second INFO. Per-key round trips would need 300 reads.
      const reads = after.reads - before.reads;
      assert.ok(reads <= 4 * 2 + 1, `${reads} socket reads for four batches`);
    });

    it('keeps a content claim under its own namespace, the message id as value and the window as TTL', async () => {
      const store = openStore();
      const key = messageKey();
      const messageId = randomUUID();
      assert.deepEqual(await store.claimFirst([{ key, messageId }], MINUTE_MS), new Map());
      const redisKey = Buffer.concat([Buffer.from('hd:c:b'), Buffer.from(key, 'base64url')]);
      const client = adminClient();
      assert.equal(await client.get(redisKey), messageId);
      const ttl = await client.pttl(redisKey);
      assert.ok(ttl > MINUTE_MS - 5_000 && ttl <= MINUTE_MS, `TTL ${ttl}`);
    });

    it('fails fast while Redis is down, then resumes by itself when it returns', async () => {
      const store = openStore();
      assert.deepEqual(await store.reserve([messageKey()], MINUTE_MS), ['reserved']);
      await server.stop();
      for (const call of [
        () => store.reserve([messageKey()], MINUTE_MS),
        () => store.confirm([messageKey()], MINUTE_MS),
        () => store.release([messageKey()]),
        () => store.claimFirst([{ key: messageKey(), messageId: 'm' }], MINUTE_MS),
      ]) {
        const took = await elapsedMs(() =>
          assert.rejects(call(), { code: 'HERALD_UNAVAILABLE', retryable: true }),
        );
        assert.ok(took < FAIL_FAST_BOUND_MS, `rejected after ${Math.round(took)} ms`);
      }
      await server.restart();
      const key = messageKey();
      assert.deepEqual(await eventually(RECOVERY_BOUND_MS, () => store.reserve([key], MINUTE_MS)), [
        'reserved',
      ]);
      assert.deepEqual(await store.reserve([key], MINUTE_MS), ['in-flight'], 'the same store, working again');
    });

    it('fails fast while Redis hangs, then answers again when it wakes', async () => {
      const store = openStore();
      await store.reserve([messageKey()], MINUTE_MS);
      server.pause();
      try {
        const took = await elapsedMs(() =>
          assert.rejects(store.reserve([messageKey()], MINUTE_MS), { code: 'HERALD_UNAVAILABLE' }),
        );
        assert.ok(took < FAIL_FAST_BOUND_MS, `rejected after ${Math.round(took)} ms`);
      } finally {
        server.resume();
      }
      const key = messageKey();
      assert.deepEqual(await eventually(RECOVERY_BOUND_MS, () => store.reserve([key], MINUTE_MS)), [
        'reserved',
      ]);
    });

    it('started while Redis is down: fails fast, and starts working once Redis comes up', async () => {
      const port = await freePort();
      const store = openStore(`redis://127.0.0.1:${port}`);
      const took = await elapsedMs(() =>
        assert.rejects(store.reserve([messageKey()], MINUTE_MS), { code: 'HERALD_UNAVAILABLE' }),
      );
      assert.ok(took < FAIL_FAST_BOUND_MS, `rejected after ${Math.round(took)} ms`);
      const late = await RedisServerProcess.start([], port);
      try {
        const key = messageKey();
        assert.deepEqual(await eventually(RECOVERY_BOUND_MS, () => store.reserve([key], MINUTE_MS)), [
          'reserved',
        ]);
      } finally {
        await late.dispose();
      }
    });

    it('fails as unavailable once closed', async () => {
      const store = openStore();
      await store.close();
      await assert.rejects(store.reserve([messageKey()], MINUTE_MS), { code: 'HERALD_UNAVAILABLE' });
    });
  });
});

interface ServerStats {
  readonly calls: { readonly set: number; readonly evalsha: number };
  readonly reads: number;
}

async function serverStats(client: Redis): Promise<ServerStats> {
  const info = await client.info('all');
  const calls = (command: string) =>
    Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
  const reads = Number(/total_reads_processed:(\d+)/.exec(info)?.[1]);
  return { calls: { set: calls('set'), evalsha: calls('evalsha') }, reads };
}

async function keyCount(url: string): Promise<number> {
  const client = new Redis(url);
  try {
    return await client.dbsize();
  } finally {
    client.disconnect();
  }
}
