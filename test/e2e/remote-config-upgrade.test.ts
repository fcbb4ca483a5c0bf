import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SqliteConfigStore } from '../../src/adapters/sqlite/sqlite-config-store.ts';
import { startTestHerald, waitForRequest } from '../support/herald-harness.ts';
import { documentBeforeKinds } from '../support/older-remote-config.ts';

/**
 * A herald upgraded in place: its store still holds the remote config an older herald wrote (push
 * to sim-fcm and sim-apns). The new one upgrades it once at start and sends push through fcm.
 */
describe('remote config stored by an older herald (embedded default)', () => {
  it('is upgraded at start, stored as a new version, and push goes to the fcm vendor', async () => {
    const first = await startTestHerald();
    await first.stop({ keepData: true });
    const store = new SqliteConfigStore({ path: join(first.dataDir, 'config.db') });
    const older = await store.putRemoteConfig(documentBeforeKinds());
    await store.close();

    const h = await startTestHerald({}, first.dataDir);
    try {
      assert.equal(h.herald.config.version, older.version + 1);
      const stored = await h.call('GET', '/admin/config');
      assert.deepEqual(
        stored.body.document.routing.push.map((route: { vendor: string }) => route.vendor),
        ['fcm', 'apns'],
      );
      assert.equal(stored.body.document.vendors.fcm.kind, 'fcm');
      const token = `${randomBytes(16).toString('base64url')}:APA91b${randomBytes(100).toString('base64url')}`;
      const accepted = await h.call('POST', '/v1/messages', {
        channel: 'push',
        lane: 'realtime',
        content: { body: 'upgraded' },
        recipients: [{ to: token }],
      });
      assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
      const view = await waitForRequest(h, accepted.body.requestId);
      assert.equal(view.messages[0].status, 'sent');
      assert.equal(view.messages[0].vendor, 'fcm');
    } finally {
      await h.stop();
    }
  });
});
