import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRedisUrl, redactPassword } from '../../../src/adapters/redis/redis-url.ts';

describe('redis URLs', () => {
  it('reads a standalone server with credentials and a database', () => {
    assert.deepEqual(parseRedisUrl('rediss://app:s%40cret@cache.internal:6380/2'), {
      cluster: false,
      nodes: [{ host: 'cache.internal', port: 6380 }],
      tls: true,
      db: 2,
      username: 'app',
      password: 's@cret',
    });
    assert.deepEqual(parseRedisUrl('redis://:pw@127.0.0.1').nodes, [{ host: '127.0.0.1', port: 6379 }]);
    assert.equal(parseRedisUrl('redis://:pw@127.0.0.1').username, undefined);
  });

  it('reads a cluster from its scheme, from several nodes, or when told', () => {
    const seeds = [
      { host: '10.0.0.1', port: 7000 },
      { host: '::1', port: 7001 },
    ];
    assert.deepEqual(parseRedisUrl('redis+cluster://10.0.0.1:7000,[::1]:7001').nodes, seeds);
    assert.equal(parseRedisUrl('redis+cluster://10.0.0.1:7000').cluster, true);
    assert.equal(parseRedisUrl('redis://10.0.0.1:7000,10.0.0.2:7000').cluster, true);
    assert.equal(parseRedisUrl('redis://10.0.0.1:7000', true).cluster, true);
    assert.equal(parseRedisUrl('redis://10.0.0.1:7000').cluster, false);
  });

  it('refuses what it cannot use, without printing the password', () => {
    assert.throws(() => parseRedisUrl('http://cache:6379'), /not a Redis URL/);
    assert.throws(() => parseRedisUrl('redis+cluster://a:1,b:2/3'), /only database 0/);
    assert.throws(() => parseRedisUrl('redis://cache:99999'), /not a TCP port/);
    assert.throws(
      () => parseRedisUrl('memcached://user:hunter2@cache'),
      (error: Error) => !error.message.includes('hunter2'),
    );
    assert.equal(redactPassword('redis://user:hunter2@cache:6379'), 'redis://user:***@cache:6379');
  });
});
