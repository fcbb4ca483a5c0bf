import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SqliteDeviceRegistry } from '../../../src/adapters/sqlite/sqlite-device-registry.ts';
import { hashRecipient } from '../../../src/core/identity/recipient-privacy.ts';
import { describeDeviceRegistryContract, fcmToken } from '../../contracts/device-registry.contract.ts';
import { inTempDirectory, tempDirectory } from './temp-directory.ts';

describeDeviceRegistryContract(
  'sqlite',
  inTempDirectory('devices.db', (path) => new SqliteDeviceRegistry({ path })),
);

describe('sqlite device registry (adapter only)', () => {
  const registration = (token: string) => ({
    clientId: 'shop',
    token,
    tokenHash: hashRecipient(token),
    provider: 'fcm' as const,
    platform: 'android' as const,
    app: 'com.example.shop',
    userId: 'user-1',
  });

  it('keeps devices across a restart, and shares them with a second process on the same file', async () => {
    const dir = tempDirectory();
    const path = dir.file('devices.db');
    const token = fcmToken();
    const api = new SqliteDeviceRegistry({ path });
    const worker = new SqliteDeviceRegistry({ path });
    try {
      await api.put(registration(token), 1_000);
      assert.deepEqual(
        (await worker.liveDevicesOf('shop', ['user-1'])).get('user-1')!.map((d) => d.token),
        [token],
      );
      await api.close();
      const reopened = new SqliteDeviceRegistry({ path });
      assert.equal((await reopened.listForUser('shop', 'user-1')).length, 1);
      await reopened.close();
    } finally {
      await api.close();
      await worker.close();
      dir.remove();
    }
  });

  it('fails as unavailable once closed, and says it is not healthy', async () => {
    const dir = tempDirectory();
    const store = new SqliteDeviceRegistry({ path: dir.file('devices.db') });
    await store.close();
    try {
      await assert.rejects(store.put(registration(fcmToken()), 1_000), {
        code: 'HERALD_UNAVAILABLE',
        retryable: true,
      });
      await assert.rejects(store.liveDevicesOf('shop', ['user-1']), { code: 'HERALD_UNAVAILABLE' });
      assert.equal(await store.healthy(), false);
    } finally {
      dir.remove();
    }
  });
});
