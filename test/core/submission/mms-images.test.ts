import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Envelope } from '../../../src/core/domain/message.ts';
import { IMAGE_KEEP_AFTER_EXPIRY_MS } from '../../../src/core/submission/attach-images.ts';
import type { SubmissionContext, SubmissionRequest } from '../../../src/core/submission/submission-types.ts';
import { submitMessages } from '../../../src/core/submission/submit-messages.ts';
import type { MediaToStore } from '../../../src/ports/media-store.ts';
import { makeJpeg } from '../../support/jpeg-fixture.ts';
import { fakeSubmission } from './fake-submission-context.ts';

const JPEG_250_KB = makeJpeg({ width: 800, height: 600, bytes: 250 * 1024 });
const JPEG_400_KB = makeJpeg({ width: 800, height: 600, bytes: 400 * 1024 });
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** The fake submission with an in-memory media store and an object-literal fetcher. */
function withImages() {
  const fake = fakeSubmission();
  const stored: { images: readonly MediaToStore[]; keepUntil: number }[] = [];
  const context: SubmissionContext = {
    ...fake.context,
    images: {
      imageHosts: { listImageHosts: async () => ['cdn.example.com'] },
      fetcher: { fetchImage: async () => JPEG_250_KB },
      media: {
        put: async (images, keepUntil) => {
          stored.push({ images, keepUntil });
        },
      },
    },
  };
  const envelopes = () => fake.produced.map((record) => JSON.parse(record.value) as Envelope);
  return { fake, context, stored, envelopes };
}

const mms = (overrides: Partial<SubmissionRequest> = {}): SubmissionRequest => ({
  clientId: 'shop',
  channel: 'mms',
  lane: 'realtime',
  content: {
    subject: '봄 쿠폰',
    body: '쿠폰을 보내 드립니다',
    images: [{ base64: base64(JPEG_250_KB), fileName: 'coupon.jpg' }],
  },
  recipients: [{ to: '010-1111-0000' }, { to: '010-2222-0000' }],
  expiresInSeconds: 3600,
  ...overrides,
});

describe('submitMessages with MMS images', () => {
  it('takes a 250 KB JPEG: stored once, by sha256, until a day past the expiry; envelopes carry the reference only', async () => {
    const { fake, context, stored, envelopes } = withImages();
    const result = await submitMessages(context, mms());
    assert.deepEqual(
      result.messages.map((m) => ('status' in m ? [m.status, m.channel] : m.error.code)),
      [
        ['accepted', 'mms'],
        ['accepted', 'mms'],
      ],
    );
    const sha256 = createHash('sha256').update(JPEG_250_KB).digest('hex');
    assert.equal(stored.length, 1);
    assert.deepEqual(
      stored[0]!.images.map((image) => image.sha256),
      [sha256],
    );
    const expiresAt = envelopes()[0]!.expiresAt;
    assert.equal(stored[0]!.keepUntil, expiresAt + IMAGE_KEEP_AFTER_EXPIRY_MS);
    for (const envelope of envelopes()) {
      assert.equal(envelope.channel, 'mms');
      assert.deepEqual(envelope.images, [{ sha256, fileName: 'coupon.jpg', bytes: 250 * 1024 }]);
      assert.deepEqual(Object.keys(envelope.content ?? {}).sort(), ['body', 'subject']);
    }
    // The bytes never travel on the transport.
    assert.ok(fake.produced.every((record) => record.value.length < 2_000));
  });

  it('refuses a 400 KB JPEG with 400 HERALD_IMAGE_INVALID naming the image and the 300 KB limit; nothing accepted', async () => {
    const { fake, context, stored } = withImages();
    const request = mms({ content: { body: '쿠폰', images: [{ base64: base64(JPEG_400_KB) }] } });
    await assert.rejects(submitMessages(context, request), {
      code: 'HERALD_IMAGE_INVALID',
      message: /^content\.images\[0\] is 400 KB; an MMS image may be at most 300 KB/,
    });
    assert.equal(stored.length, 0);
    assert.equal(fake.accepted.length, 0);
    assert.equal(fake.produced.length, 0);
  });

  it('refuses an mms without an image with 400 HERALD_MMS_IMAGE_REQUIRED', async () => {
    const { fake, context } = withImages();
    await assert.rejects(submitMessages(context, mms({ content: { subject: '공지', body: '본문' } })), {
      code: 'HERALD_MMS_IMAGE_REQUIRED',
    });
    assert.equal(fake.produced.length, 0);
  });

  it('sends an mms without an image as lms when the request allows it', async () => {
    const { context, envelopes } = withImages();
    const result = await submitMessages(
      context,
      mms({ content: { subject: '공지', body: '본문' }, mms: { allowLmsWithoutImage: true } }),
    );
    assert.ok(result.messages.every((m) => 'channel' in m && m.channel === 'lms'));
    assert.ok(envelopes().every((envelope) => envelope.channel === 'lms' && envelope.images === undefined));
  });

  it('sends an sms with an image as mms, the URL fetched from a registered host', async () => {
    const { context, envelopes } = withImages();
    await submitMessages(
      context,
      mms({ channel: 'sms', content: { body: '쿠폰', images: [{ url: 'https://cdn.example.com/c.jpg' }] } }),
    );
    assert.deepEqual(
      envelopes().map((envelope) => [envelope.channel, envelope.images?.[0]?.fileName]),
      [
        ['mms', 'c.jpg'],
        ['mms', 'c.jpg'],
      ],
    );
  });

  it('refuses images on a channel that cannot carry them', async () => {
    const { context } = withImages();
    await assert.rejects(
      submitMessages(context, mms({ channel: 'email', recipients: [{ to: 'kim@example.com' }] })),
      { code: 'HERALD_VALIDATION_FAILED', message: /content\.images is for sms, lms and mms/ },
    );
  });

  it('keys messages by their images too: the same text with another picture is another message', async () => {
    const { context, envelopes } = withImages();
    const other = makeJpeg({ width: 100, height: 100, bytes: 4096 });
    const scope = { idempotencyKey: undefined, dedup: { byContent: true } } as const;
    await submitMessages(context, mms({ ...scope, recipients: [{ to: '010-1111-0000' }] }));
    await submitMessages(
      context,
      mms({
        ...scope,
        recipients: [{ to: '010-1111-0000' }],
        content: { body: '쿠폰을 보내 드립니다', subject: '봄 쿠폰', images: [{ base64: base64(other) }] },
      }),
    );
    const [first, second] = envelopes();
    assert.notEqual(first!.key, second!.key);
  });

  it('refuses images when the process has no media store (503), never queueing a message without them', async () => {
    const fake = fakeSubmission();
    await assert.rejects(submitMessages(fake.context, mms()), { code: 'HERALD_UNAVAILABLE' });
    assert.equal(fake.produced.length, 0);
  });
});
