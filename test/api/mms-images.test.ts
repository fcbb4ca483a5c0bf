import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Envelope } from '../../src/core/domain/message.ts';
import { fakeSubmission, ORDER_TEMPLATE } from '../core/submission/fake-submission-context.ts';
import { makeJpeg } from '../support/jpeg-fixture.ts';
import type { TestApp } from './test-app.ts';
import { auth, buildTestApp } from './test-app.ts';

/** POST /v1/messages with images, through the HTTP schema and the submission use-case. */
describe('POST /v1/messages with MMS images', () => {
  let t: TestApp;
  const fake = fakeSubmission({ templates: [ORDER_TEMPLATE] });
  const stored: string[] = [];

  before(async () => {
    t = await buildTestApp({
      submission: {
        ...fake.context,
        images: {
          imageHosts: { listImageHosts: async () => ['cdn.example.com'] },
          fetcher: { fetchImage: async () => makeJpeg({ width: 10, height: 10, bytes: 1024 }) },
          media: {
            put: async (images) => {
              stored.push(...images.map((image) => image.sha256));
            },
          },
        },
      },
    });
  });
  after(async () => t.app.close());

  const jpeg = (kb: number) =>
    Buffer.from(makeJpeg({ width: 800, height: 600, bytes: kb * 1024 })).toString('base64');
  const post = (payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/v1/messages', headers: auth(), payload });
  const mms = (content: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    channel: 'mms',
    lane: 'realtime',
    content: { subject: '쿠폰', body: '봄 쿠폰입니다', ...content },
    recipients: [{ to: '010-1234-5678' }],
    ...extra,
  });

  it('accepts a 250 KB JPEG as an mms whose envelope carries the image by reference', async () => {
    const response = await post(mms({ images: [{ base64: jpeg(250), fileName: 'coupon.jpg' }] }));
    assert.equal(response.statusCode, 202, response.body);
    assert.equal(response.json().messages[0].channel, 'mms');
    const envelope = JSON.parse(fake.produced.at(-1)!.value) as Envelope;
    assert.equal(envelope.images?.[0]?.bytes, 250 * 1024);
    assert.equal(envelope.images?.[0]?.fileName, 'coupon.jpg');
    assert.ok(stored.includes(envelope.images![0]!.sha256));
  });

  it('refuses a 400 KB JPEG with 400 HERALD_IMAGE_INVALID naming the image and the limit', async () => {
    const response = await post(mms({ images: [{ base64: jpeg(400) }] }));
    assert.equal(response.statusCode, 400);
    const { error } = response.json();
    assert.equal(error.code, 'HERALD_IMAGE_INVALID');
    assert.match(error.message, /content\.images\[0\] is 400 KB; an MMS image may be at most 300 KB/);
  });

  it('refuses a fourth image naming the limit of 3', async () => {
    const image = { base64: jpeg(1) };
    const response = await post(mms({ images: [image, image, image, image] }));
    assert.equal(response.statusCode, 400);
    assert.match(response.json().error.message, /4 images; an MMS takes at most 3/);
  });

  it('refuses an mms without an image (400 HERALD_MMS_IMAGE_REQUIRED), or sends it as lms when allowed', async () => {
    const refused = await post(mms({}));
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.json().error.code, 'HERALD_MMS_IMAGE_REQUIRED');
    const lms = await post(mms({}, { mms: { allowLmsWithoutImage: true } }));
    assert.equal(lms.statusCode, 202, lms.body);
    assert.equal(lms.json().messages[0].channel, 'lms');
  });

  it('refuses an image URL on a host the client did not register with 422 HERALD_IMAGE_FETCH_FAILED', async () => {
    const response = await post(mms({ images: [{ url: 'https://169.254.169.254/latest/meta-data' }] }));
    assert.equal(response.statusCode, 422);
    assert.equal(response.json().error.code, 'HERALD_IMAGE_FETCH_FAILED');
    const ok = await post(mms({ images: [{ url: 'https://cdn.example.com/a.jpg' }] }));
    assert.equal(ok.statusCode, 202, ok.body);
  });
});
