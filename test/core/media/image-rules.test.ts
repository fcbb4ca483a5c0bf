import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isHeraldError } from '../../../src/core/domain/errors.ts';
import { checkImage, checkImageSet, imageFileName } from '../../../src/core/media/image-rules.ts';
import { makeJpeg } from '../../support/jpeg-fixture.ts';

function refusal(run: () => unknown): { code: string; message: string; field?: string } {
  try {
    run();
  } catch (error) {
    assert.ok(isHeraldError(error));
    return { code: error.code, message: error.message, field: error.field };
  }
  assert.fail('expected a refusal');
}

describe('MMS image rules', () => {
  it('takes a 250 KB baseline JPEG of 800x600', () => {
    const image = makeJpeg({ width: 800, height: 600, bytes: 250 * 1024 });
    assert.equal(image.length, 250 * 1024);
    assert.deepEqual(checkImage(image, 'content.images[0]'), { width: 800, height: 600 });
  });

  it('refuses a 400 KB JPEG, naming the image and the 300 KB limit', () => {
    const image = makeJpeg({ width: 800, height: 600, bytes: 400 * 1024 });
    const error = refusal(() => checkImage(image, 'content.images[1]'));
    assert.equal(error.code, 'HERALD_IMAGE_INVALID');
    assert.equal(error.field, 'content.images[1]');
    assert.match(error.message, /^content\.images\[1\] is 400 KB; .*at most 300 KB/);
  });

  it('takes exactly 300 KB and refuses one byte more', () => {
    assert.ok(checkImage(makeJpeg({ width: 10, height: 10, bytes: 300 * 1024 }), 'a'));
    assert.match(
      refusal(() => checkImage(makeJpeg({ width: 10, height: 10, bytes: 300 * 1024 + 1 }), 'a')).message,
      /300 KB/,
    );
  });

  it('refuses more than 1000 pixels a side, naming the size and the limit', () => {
    const error = refusal(() => checkImage(makeJpeg({ width: 1001, height: 20, bytes: 4096 }), 'img'));
    assert.match(error.message, /1001x20 pixels.*1000x1000/);
    assert.ok(checkImage(makeJpeg({ width: 1000, height: 1000, bytes: 4096 }), 'img'));
  });

  it('refuses PNG, progressive JPEG and a JPEG with no frame header', () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    assert.match(refusal(() => checkImage(png, 'p')).message, /not a JPEG/);
    const progressive = makeJpeg({ width: 10, height: 10, bytes: 2048, sofMarker: 0xc2 });
    assert.match(refusal(() => checkImage(progressive, 'p')).message, /progressive JPEG.*baseline/);
    const truncated = makeJpeg({ width: 10, height: 10, bytes: 2048 }).subarray(0, 1024);
    assert.match(refusal(() => checkImage(truncated, 'p')).message, /without a frame header/);
  });

  it('refuses a fourth image and a total over 800 KB', () => {
    assert.match(refusal(() => checkImageSet([1, 1, 1, 1], 'content.images')).message, /4 images.*at most 3/);
    const total = refusal(() => checkImageSet([300 * 1024, 300 * 1024, 250 * 1024], 'content.images'));
    assert.match(total.message, /850 KB together.*800 KB/);
    checkImageSet([300 * 1024, 300 * 1024, 200 * 1024], 'content.images');
  });

  it("keeps a client's plain .jpg name, else names the image by its position", () => {
    assert.equal(imageFileName('dir/coupon.JPG', 0), 'coupon.JPG');
    assert.equal(imageFileName('쿠폰.jpg', 1), 'image-2.jpg');
    assert.equal(imageFileName('a.png', 2), 'image-3.jpg');
    assert.equal(imageFileName(undefined, 0), 'image-1.jpg');
    assert.equal(imageFileName(`${'x'.repeat(37)}.jpg`, 0), 'image-1.jpg');
  });
});
