import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { closeStores, openStores } from '../../src/app/stores.ts';
import { loadEnvConfig } from '../../src/config/env-config.ts';
import { hashRecipient } from '../../src/core/identity/recipient-privacy.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { dropSchema } from '../adapters/postgres/postgres-test-schema.ts';
import { fcmToken } from '../contracts/device-registry.contract.ts';
import { ENGINE_URLS, engineSkip } from '../support/engines.ts';
import { startTestHerald } from '../support/herald-harness.ts';
import { TEST_RECIPIENT_HASH_SECRET, uniqueNamespace } from '../support/production-env.ts';

const NO_OPTIONAL_STORES = { idempotency: false, schedule: false, devices: false };

function device(token: string, secret: string) {
  return {
    clientId: 'default',
    token,
    tokenHash: hashRecipient(token, secret),
    provider: 'fcm' as const,
    platform: 'android' as const,
    app: 'com.example.shop',
    userId: 'user-1',
  };
}

describe('openStores and the device registry', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-stores-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('opens it only for a process that uses it, embedded in its own file', async () => {
    const env = loadEnvConfig({ HERALD_DATA_DIR: dir });
    const without = openStores(env, silentLogger(), NO_OPTIONAL_STORES);
    assert.equal(without.devices, undefined);
    await closeStores(without);
    const stores = openStores(env, silentLogger(), { ...NO_OPTIONAL_STORES, devices: true });
    try {
      assert.equal(stores.engines.devices, 'sqlite');
      assert.equal(stores.engines.media, 'sqlite');
      assert.ok(stores.media);
      assert.ok(existsSync(join(dir, 'devices.db')));
      assert.equal(await stores.devices!.healthy(), true);
    } finally {
      await closeStores(stores);
    }
    assert.equal(await stores.devices!.healthy(), false, 'closed with the other stores');
  });

  it('on PostgreSQL when HERALD_DATABASE_URL is set, in the namespace schema', async (t) => {
    const skip = await engineSkip('postgres');
    if (skip) return t.skip(skip);
    const namespace = uniqueNamespace();
    const env = loadEnvConfig({
      HERALD_DATA_DIR: join(dir, namespace),
      HERALD_DATABASE_URL: ENGINE_URLS.postgres,
      HERALD_NAMESPACE: namespace,
      HERALD_RECIPIENT_HASH_SECRET: TEST_RECIPIENT_HASH_SECRET,
      HERALD_SIMULATORS: 'off',
    });
    const stores = openStores(env, silentLogger(), { ...NO_OPTIONAL_STORES, devices: true });
    try {
      assert.equal(stores.engines.devices, 'postgres');
      assert.equal(stores.engines.media, 'postgres');
      assert.ok(stores.media);
      const token = fcmToken();
      await stores.devices!.put(device(token, TEST_RECIPIENT_HASH_SECRET), 1_000);
      const live = await stores.devices!.liveDevicesOf('default', ['user-1']);
      assert.deepEqual(
        live.get('user-1')!.map((d) => d.token),
        [token],
      );
    } finally {
      await closeStores(stores);
      await dropSchema(`herald_${namespace}`);
    }
  });

  it('herald serves the registry on /v1 and reports it on /health (embedded)', async () => {
    const h = await startTestHerald();
    try {
      const token = fcmToken();
      const put = await h.call('PUT', '/v1/devices', {
        token,
        provider: 'fcm',
        platform: 'android',
        app: 'com.example.shop',
        userId: 'user-1',
      });
      assert.equal(put.status, 201, JSON.stringify(put.body));
      const live = await h.herald.stores.devices!.liveDevicesOf('default', ['user-1']);
      assert.deepEqual(
        live.get('user-1')!.map((d) => d.token),
        [token],
      );
      const health = await h.call('GET', '/health');
      assert.deepEqual(health.body.components.devices, { ok: true });
    } finally {
      await h.stop();
    }
  });
});
