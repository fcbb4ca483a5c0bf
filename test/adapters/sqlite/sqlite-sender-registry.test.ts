import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SqliteSenderRegistry } from '../../../src/adapters/sqlite/sqlite-sender-registry.ts';
import { describeSenderRegistryContract } from '../../contracts/sender-registry.contract.ts';
import { tempDirectory } from './temp-directory.ts';

describeSenderRegistryContract('sqlite', async (now) => {
  const dir = tempDirectory();
  const store = new SqliteSenderRegistry({ path: dir.file('senders.db'), now });
  return {
    store,
    async cleanup() {
      await store.close();
      dir.remove();
    },
  };
});

describe('sqlite sender registry (adapter only)', () => {
  it('shares one registry between processes on the same file, and keeps it across a restart', async () => {
    const dir = tempDirectory();
    const path = dir.file('senders.db');
    const api = new SqliteSenderRegistry({ path });
    const other = new SqliteSenderRegistry({ path });
    try {
      await api.putSenderNumbers('shop', [{ number: '0212345678', isDefault: true }]);
      assert.equal((await other.listSenderNumbers('shop'))[0]?.number, '0212345678');
      await api.close();
      const reopened = new SqliteSenderRegistry({ path });
      assert.equal((await reopened.listSenderNumbers('shop')).length, 1);
      await reopened.close();
    } finally {
      await api.close();
      await other.close();
      dir.remove();
    }
  });

  it('refuses two defaults for one client, leaving the previous list in place', async () => {
    const dir = tempDirectory();
    const store = new SqliteSenderRegistry({ path: dir.file('senders.db') });
    try {
      await store.putSenderNumbers('shop', [{ number: '0212345678', isDefault: true }]);
      await assert.rejects(
        store.putSenderNumbers('shop', [
          { number: '0311112222', isDefault: true },
          { number: '0411112222', isDefault: true },
        ]),
      );
      assert.deepEqual(
        (await store.listSenderNumbers('shop')).map((n) => n.number),
        ['0212345678'],
      );
    } finally {
      await store.close();
      dir.remove();
    }
  });

  it('fails as unavailable once closed, and says it is not healthy', async () => {
    const dir = tempDirectory();
    const store = new SqliteSenderRegistry({ path: dir.file('senders.db') });
    await store.close();
    try {
      await assert.rejects(store.listSenderNumbers('shop'), { code: 'HERALD_UNAVAILABLE', retryable: true });
      assert.equal(await store.healthy(), false);
    } finally {
      dir.remove();
    }
  });
});
