import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inferPushProvider } from '../../../src/core/domain/push-provider.ts';

/** Shapes as issued: APNs gives 32 bytes the app sends as hex; FCM gives `<installation id>:APA91b...`. */
const APNS = '6e18f1989e5350ca1ba5a454290440a6799f57842363456190a19c10561f796c';
const FCM =
  'cWzJ1Q8gRmWb0mUuW9kK3X:APA91bHun4MxP5egoKMwt2KZFBaFUH-1RYqx0HQ7g2nQ8zQ6l0T5Jf7XwU3y6iVdP0y8kQx_' +
  'V1ZsYqP4rWc2E9tH6mLbN0oS3aGfKjD5uI7eR8wT1yZx';
/** A GCM-era registration id: no colon, but long and with `-`/`_`. */
const LEGACY_FCM =
  'APA91bHPRgkF3JUikC4ENAHEeMrd41Zxv3hVZjC9KtT8OvPVGJ-hQMRKRrZuJAEcl7B338qju59zJMjw2DELjzEvxwYv7hH5Ynpc1ODQ0aT4U4OFEeco8ohsN5PjL1iC2dNtk2BAokeMCg2ZXKqpc8FXKmhX94kIxQ';

describe('inferPushProvider', () => {
  it('tells an APNs device token by its 64 hex digits, in either case', () => {
    assert.equal(inferPushProvider(APNS), 'apns');
    assert.equal(inferPushProvider(APNS.toUpperCase()), 'apns');
    // Apple: "device tokens are variable length"; longer hex tokens stay APNs.
    assert.equal(inferPushProvider(APNS.repeat(2)), 'apns');
  });

  it('tells an FCM registration token by its colon, or a legacy one by its length and - or _', () => {
    assert.equal(inferPushProvider(FCM), 'fcm');
    assert.equal(inferPushProvider(LEGACY_FCM), 'fcm');
  });

  it('tells nothing from a shape that could be either or neither', () => {
    for (const token of [
      APNS.slice(0, 62), // too short for APNs, and hex is never FCM
      `${APNS}a`, // odd count of hex digits
      'tokenABCDEF123456', // short, no separator
      'z'.repeat(150), // long but no FCM separator, and not hex
      `${FCM}=`, // a character neither uses
      '',
    ]) {
      assert.equal(inferPushProvider(token), undefined, token);
    }
  });
});
