import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apnsEndpoint } from '../../../src/vendors/apns/apns-endpoint.ts';

describe('apnsEndpoint', () => {
  it("goes to Apple's host for the environment", () => {
    assert.deepEqual(apnsEndpoint('production'), { origin: 'https://api.push.apple.com', pathPrefix: '' });
    assert.deepEqual(apnsEndpoint('sandbox'), {
      origin: 'https://api.sandbox.push.apple.com',
      pathPrefix: '',
    });
  });

  it('takes a base URL with a path prefix, with or without a trailing slash', () => {
    assert.deepEqual(apnsEndpoint('sandbox', 'http://127.0.0.1:4100/apns-b/'), {
      origin: 'http://127.0.0.1:4100',
      pathPrefix: '/apns-b',
    });
    assert.deepEqual(apnsEndpoint('production', 'http://127.0.0.1:4100'), {
      origin: 'http://127.0.0.1:4100',
      pathPrefix: '',
    });
  });

  it('refuses a base URL that is not plain http(s)', () => {
    assert.throws(() => apnsEndpoint('production', 'ftp://x'), TypeError);
    assert.throws(() => apnsEndpoint('production', 'https://u:p@x'), TypeError);
    assert.throws(() => apnsEndpoint('production', 'https://x/?a=1'), TypeError);
    assert.throws(() => apnsEndpoint('production', 'not a url'), TypeError);
  });
});
