import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { HeraldError } from '../../../src/core/domain/errors.ts';
import type { ImageSources } from '../../../src/core/media/collect-images.ts';
import { collectImages } from '../../../src/core/media/collect-images.ts';
import { makeJpeg } from '../../support/jpeg-fixture.ts';

const JPEG = makeJpeg({ width: 640, height: 480, bytes: 50_000 });
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The client's image hosts and a fetcher as object literals, counting what they were asked. */
function sources(
  hosts: string[] = ['cdn.example.com'],
  answer: () => Promise<Uint8Array> = async () => JPEG,
) {
  const fetched: string[] = [];
  let hostLookups = 0;
  const value: ImageSources = {
    imageHosts: {
      listImageHosts: async () => {
        hostLookups++;
        return hosts;
      },
    },
    fetcher: {
      fetchImage: async (url) => {
        fetched.push(url.href);
        return answer();
      },
    },
  };
  return { value, fetched, hostLookups: () => hostLookups };
}

describe('collectImages', () => {
  it('decodes base64 (with or without a data: prefix), hashes and names each image', async () => {
    const base64 = Buffer.from(JPEG).toString('base64');
    const images = await collectImages(
      'shop',
      [{ base64, fileName: 'coupon.jpg' }, { base64: `data:image/jpeg;base64,${base64}` }],
      sources().value,
    );
    assert.deepEqual(
      images.map((image) => [image.fileName, image.sha256, image.content.length]),
      [
        ['coupon.jpg', sha256(JPEG), JPEG.length],
        ['image-2.jpg', sha256(JPEG), JPEG.length],
      ],
    );
  });

  it('fetches a URL on a registered host once per request, reading the host list once', async () => {
    const s = sources(['cdn.example.com']);
    const url = 'https://CDN.example.com/promo/spring.jpg?sig=abc';
    const images = await collectImages('shop', [{ url }, { url }], s.value);
    assert.deepEqual(s.fetched, ['https://cdn.example.com/promo/spring.jpg?sig=abc']);
    assert.equal(s.hostLookups(), 1);
    assert.equal(images[0]!.fileName, 'spring.jpg');
    assert.deepEqual(images[1]!.content, JPEG);
  });

  it('never asks for the host list without a URL', async () => {
    const s = sources();
    await collectImages('shop', [{ base64: Buffer.from(JPEG).toString('base64') }], s.value);
    assert.equal(s.hostLookups(), 0);
  });

  const fetchRefusals: [string, string, RegExp][] = [
    [
      'an unregistered host',
      'https://evil.example.net/a.jpg',
      /evil\.example\.net, which is not one of your image hosts/,
    ],
    ['http', 'http://cdn.example.com/a.jpg', /not an https URL/],
    ['credentials in the URL', 'https://user:pw@cdn.example.com/a.jpg', /carries credentials/],
    ['not a URL', 'cdn.example.com/a.jpg', /is not a URL/],
  ];
  for (const [what, url, message] of fetchRefusals) {
    it(`refuses ${what} with 422 HERALD_IMAGE_FETCH_FAILED, fetching nothing`, async () => {
      const s = sources();
      await assert.rejects(collectImages('shop', [{ url }], s.value), (error: HeraldError) => {
        assert.equal(error.code, 'HERALD_IMAGE_FETCH_FAILED');
        assert.equal(error.field, 'content.images[0].url');
        assert.match(error.message, message);
        return true;
      });
      assert.deepEqual(s.fetched, []);
    });
  }

  it("names the image and the fetcher's reason, never the URL's path or query", async () => {
    const failing = sources(['cdn.example.com'], async () => {
      throw new HeraldError('HERALD_IMAGE_FETCH_FAILED', 'the server answered 404, not 200');
    });
    const url = 'https://cdn.example.com/secret-path.jpg?token=s3cr3t';
    await assert.rejects(
      collectImages('shop', [{ base64: Buffer.from(JPEG).toString('base64') }, { url }], failing.value),
      (error: HeraldError) => {
        assert.equal(error.code, 'HERALD_IMAGE_FETCH_FAILED');
        assert.match(
          error.message,
          /^content\.images\[1\]\.url could not be fetched from cdn\.example\.com: the server answered 404/,
        );
        assert.doesNotMatch(error.message, /secret-path|s3cr3t/);
        return true;
      },
    );
  });

  it('checks a fetched image like a given one: a 400 KB answer is refused naming the image and the limit', async () => {
    const large = sources(['cdn.example.com'], async () =>
      makeJpeg({ width: 10, height: 10, bytes: 400 * 1024 }),
    );
    await assert.rejects(collectImages('shop', [{ url: 'https://cdn.example.com/a.jpg' }], large.value), {
      code: 'HERALD_IMAGE_INVALID',
      message: /^content\.images\[0\] is 400 KB; an MMS image may be at most 300 KB/,
    });
  });

  it('refuses bad base64, a base64 image over 300 KB before decoding it, and a fourth image before fetching', async () => {
    await assert.rejects(collectImages('shop', [{ base64: 'not base64!' }], sources().value), {
      code: 'HERALD_IMAGE_INVALID',
      message: /content\.images\[0\]\.base64 is not valid base64/,
    });
    const big = Buffer.from(makeJpeg({ width: 10, height: 10, bytes: 400 * 1024 })).toString('base64');
    await assert.rejects(collectImages('shop', [{ base64: big }], sources().value), {
      code: 'HERALD_IMAGE_INVALID',
      message: /content\.images\[0\] is 400 KB/,
    });
    const s = sources();
    const url = 'https://cdn.example.com/a.jpg';
    await assert.rejects(collectImages('shop', [{ url }, { url }, { url }, { url }], s.value), {
      code: 'HERALD_IMAGE_INVALID',
      message: /4 images; an MMS takes at most 3/,
    });
    assert.deepEqual(s.fetched, []);
  });

  it('refuses three images over 800 KB together', async () => {
    const image = (seed: number) => {
      const bytes = makeJpeg({ width: 10, height: 10, bytes: 290 * 1024 });
      bytes[30] = seed; // distinct bytes, inside the padding
      return { base64: Buffer.from(bytes).toString('base64') };
    };
    await assert.rejects(collectImages('shop', [image(1), image(2), image(3)], sources().value), {
      code: 'HERALD_IMAGE_INVALID',
      message: /870 KB together; .*800 KB in all/,
    });
  });
});
