import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestHerald, type TestHerald, waitForRequest } from '../support/herald-harness.ts';
import { makeJpeg } from '../support/jpeg-fixture.ts';

/**
 * MMS images through the whole embedded path: the API checks and stores the image in the media
 * store (SQLite), the envelope carries its reference, the lane worker loads the bytes back for the
 * vendor call. A worker that could not load them would retry, and the message would not end `sent`.
 */
describe('MMS images, end to end (embedded default)', () => {
  let h: TestHerald;
  before(async () => {
    h = await startTestHerald();
  });
  after(() => h.stop());

  const mms = (image: Uint8Array) => ({
    channel: 'mms',
    lane: 'realtime',
    content: {
      subject: '봄 쿠폰',
      body: '쿠폰을 보내 드립니다',
      images: [{ base64: Buffer.from(image).toString('base64') }],
    },
    recipients: [{ to: '010-1111-2222' }, { to: '010-3333-4444' }],
  });

  it('sends an MMS with a 250 KB JPEG, the image kept once in the media store', async () => {
    const image = makeJpeg({ width: 1000, height: 750, bytes: 250 * 1024 });
    const accepted = await h.call('POST', '/v1/messages', mms(image));
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    const view = await waitForRequest(h, accepted.body.requestId);
    assert.deepEqual(
      accepted.body.messages.map((m: { channel: string }) => m.channel),
      ['mms', 'mms'],
    );
    assert.deepEqual(
      view.messages.map((m: { status: string }) => m.status),
      ['sent', 'sent'],
    );
    const sha256 = createHash('sha256').update(image).digest('hex');
    const stored = await h.herald.stores.media!.get(sha256);
    assert.deepEqual(new Uint8Array(stored!), image);
  });

  it('refuses a 400 KB JPEG with 400 HERALD_IMAGE_INVALID naming the limit', async () => {
    const refused = await h.call(
      'POST',
      '/v1/messages',
      mms(makeJpeg({ width: 800, height: 600, bytes: 400 * 1024 })),
    );
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.code, 'HERALD_IMAGE_INVALID');
    assert.match(refused.body.error.message, /is 400 KB; an MMS image may be at most 300 KB/);
  });
});
