import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestHerald, type TestHerald, waitForRequest } from '../support/herald-harness.ts';

const fcmToken = () =>
  `${randomBytes(16).toString('base64url')}:APA91b${randomBytes(100).toString('base64url')}`;
const apnsToken = () => randomBytes(32).toString('hex');

/**
 * The default config sends push through the real FCM and APNs adapters, pointed at the in-process
 * simulator with its generated credentials: what reaches the simulator is FCM HTTP v1 and APNs over
 * HTTP/2, signed with an OAuth token from its token endpoint and an ES256 provider token.
 */
describe('push through the real adapters (embedded default)', () => {
  let h: TestHerald;
  before(async () => {
    h = await startTestHerald();
  });
  after(() => h.stop());

  it('delivers over HTTP/2 with an OAuth access token (FCM) and a provider token (APNs)', async () => {
    const sim = h.herald.fleet.simulator!;
    const accepted = await h.call('POST', '/v1/messages', {
      channel: 'push',
      lane: 'realtime',
      content: { subject: '배송 시작', body: '주문하신 상품이 출발했습니다' },
      recipients: [{ to: fcmToken() }, { to: apnsToken() }],
    });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    const view = await waitForRequest(h, accepted.body.requestId);
    assert.deepEqual(
      view.messages.map((m: { status: string; vendor: string }) => [m.status, m.vendor]),
      [
        ['sent', 'fcm'],
        ['sent', 'apns'],
      ],
    );
    assert.equal(sim.countFor('fcm', view.messages[0].messageId), 1);
    assert.equal(sim.countFor('apns', view.messages[1].messageId), 1);
    assert.ok(sim.h2Stats().streamsOpened >= 2, JSON.stringify(sim.h2Stats()));
    assert.ok(sim.accessTokensIssued('fcm') >= 1, 'an OAuth access token was issued to fcm');
    assert.ok(sim.providerTokensAccepted('apns') >= 1, 'an APNs provider token was accepted');
  });
});
