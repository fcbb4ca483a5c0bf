import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  canonicalToken,
  checkDeviceRegistration,
  checkUserId,
} from '../../../src/core/devices/device-registration.ts';
import { hashRecipient } from '../../../src/core/identity/recipient-privacy.ts';

const APNS = '6E18F1989E5350CA1BA5A454290440A6799F57842363456190A19C10561F796C';
const FCM = 'cWzJ1Q8gRmWb0mUuW9kK3X:APA91bHun4MxP5egoKMwt2KZFBaFUH-1RYqx0HQ7g2nQ8zQ6l0T5Jf7XwU3y6iVdP0y8kQx';
const SECRET = 'device-registration-secret';

describe('checkDeviceRegistration', () => {
  it('hashes the canonical token with the secret and keeps the rest as given', () => {
    const registration = checkDeviceRegistration(
      'shop',
      { token: APNS, provider: 'apns', platform: 'ios', app: 'com.example.shop', userId: '사용자 1' },
      SECRET,
    );
    assert.deepEqual(registration, {
      clientId: 'shop',
      token: APNS.toLowerCase(),
      tokenHash: hashRecipient(APNS.toLowerCase(), SECRET),
      provider: 'apns',
      platform: 'ios',
      app: 'com.example.shop',
      userId: '사용자 1',
    });
  });

  it('leaves userId out when none is given, and an FCM token in its own case', () => {
    const registration = checkDeviceRegistration(
      'shop',
      { token: FCM, provider: 'fcm', platform: 'ios', app: 'com.example.shop' },
      SECRET,
    );
    assert.equal(registration.token, FCM);
    assert.equal('userId' in registration, false);
  });

  it('refuses a token whose shape says the other provider, and says which', () => {
    assert.throws(
      () =>
        checkDeviceRegistration('shop', { token: APNS, provider: 'fcm', platform: 'ios', app: 'a' }, SECRET),
      { code: 'HERALD_INVALID_DEVICE_TOKEN', field: 'token', message: /give provider "apns"/ },
    );
  });
});

describe('canonicalToken and checkUserId', () => {
  it('lower-cases APNs hex only', () => {
    assert.equal(canonicalToken(APNS), APNS.toLowerCase());
    assert.equal(canonicalToken(FCM), FCM);
    assert.equal(canonicalToken('ABC'), 'ABC');
  });

  it('takes any text but control characters and lone surrogates', () => {
    checkUserId('Kim #42 🙂', 'userId');
    for (const bad of ['a\u0000', 'tab\there', '\u0085', 'x\ud800']) {
      assert.throws(() => checkUserId(bad, 'userId'), { code: 'HERALD_VALIDATION_FAILED', field: 'userId' });
    }
  });
});
