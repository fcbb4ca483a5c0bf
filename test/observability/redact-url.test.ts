import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactedUrl, withoutQueryString } from '../../src/observability/redact-url.ts';

describe('redactedUrl', () => {
  it('drops the query string, as withoutQueryString does', () => {
    assert.equal(redactedUrl('/v1/requests/r1?api_key=hk_x'), '/v1/requests/r1?[redacted]');
    assert.equal(withoutQueryString('/v1/messages'), '/v1/messages');
  });

  it('redacts the device token of a DELETE path, in any case, after any prefix, before a query', () => {
    for (const [url, logged] of [
      ['/v1/devices/abc:APA91b-x_y', '/v1/devices/[redacted]'],
      ['/v1/devices/abc%3AAPA91b?x=1', '/v1/devices/[redacted]?[redacted]'],
      ['/V1/DEVICES/6e18f1989e5350ca/extra', '/V1/DEVICES/[redacted]/extra'],
      ['//v1//devices/tok', '//v1//devices/[redacted]'],
    ]) {
      assert.equal(redactedUrl(url!), logged);
    }
  });

  it('redacts the opt-out token of an unsubscribe link: whoever holds it can opt the address out', () => {
    assert.equal(redactedUrl('/v1/unsubscribe/eyJjIjoic2hvcCJ9.sig-_x'), '/v1/unsubscribe/[redacted]');
    assert.equal(redactedUrl('/V1/Unsubscribe/tok?x=1'), '/V1/Unsubscribe/[redacted]?[redacted]');
  });

  it('leaves other paths alone, the PUT path and a user id included', () => {
    for (const url of ['/v1/devices', '/v1/users/user-1/devices', '/v1/messages/0190f0c2']) {
      assert.equal(redactedUrl(url), url);
    }
  });
});
