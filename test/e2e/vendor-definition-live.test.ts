import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestHerald, type TestHerald, waitFor, waitForRequest } from '../support/herald-harness.ts';

const fcmToken = () =>
  `${randomBytes(16).toString('base64url')}:APA91b${randomBytes(100).toString('base64url')}`;

/**
 * A new remote config version that changes a vendor's definition applies without a restart: the
 * worker rebuilds that vendor's adapters and the next message goes through the new ones.
 */
describe('a changed vendor definition applies live (embedded default)', () => {
  let h: TestHerald;
  before(async () => {
    h = await startTestHerald();
  });
  after(() => h.stop());

  async function sendOnePush(): Promise<string> {
    const accepted = await h.call('POST', '/v1/messages', {
      channel: 'push',
      lane: 'realtime',
      content: { body: 'live' },
      recipients: [{ to: fcmToken() }],
    });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    const view = await waitForRequest(h, accepted.body.requestId);
    assert.equal(view.messages[0].status, 'sent');
    return view.messages[0].vendor;
  }

  async function putFcm(definition: Record<string, unknown>): Promise<void> {
    const current = await h.call('GET', '/admin/config');
    const document = current.body.document;
    document.vendors.fcm = { ...document.vendors.fcm, ...definition };
    if (definition.kind === 'simulator') delete document.vendors.fcm.endpoint;
    const put = await h.call('PUT', '/admin/config', document);
    assert.equal(put.status, 200, JSON.stringify(put.body));
    await waitFor(async () => h.herald.config.version >= put.body.version, 5_000, 'the version applied');
  }

  it('moves fcm from the FCM adapter (HTTP/2) to the generic contract and back', async () => {
    const sim = h.herald.fleet.simulator!;
    assert.equal(await sendOnePush(), 'fcm');
    const streams = sim.h2Stats().streamsOpened;
    assert.ok(streams >= 1);

    await putFcm({ kind: 'simulator' });
    assert.equal(await sendOnePush(), 'fcm');
    assert.equal(sim.h2Stats().streamsOpened, streams, 'sent over HTTP/1.1, not HTTP/2');

    await putFcm({ kind: 'fcm', endpoint: 'simulator' });
    assert.equal(await sendOnePush(), 'fcm');
    assert.equal(sim.h2Stats().streamsOpened, streams + 1, 'the FCM adapter again');
  });
});
