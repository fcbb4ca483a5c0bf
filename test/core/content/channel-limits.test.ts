import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitContentToChannel, measureText } from '../../../src/core/content/channel-limits.ts';

const upgrade = { smsAutoUpgrade: true };
const noUpgrade = { smsAutoUpgrade: false };
const hangul = (n: number) => '가'.repeat(n);

function errorCode(result: ReturnType<typeof fitContentToChannel>): string | undefined {
  return result.ok ? undefined : result.error.code;
}

describe('fitContentToChannel: SMS and the LMS upgrade', () => {
  it('keeps 90 EUC-KR bytes (45 Hangul) as SMS', () => {
    assert.deepEqual(fitContentToChannel('sms', { body: hangul(45) }, noUpgrade), { ok: true, value: 'sms' });
    assert.deepEqual(fitContentToChannel('sms', { body: 'a'.repeat(90) }, noUpgrade), {
      ok: true,
      value: 'sms',
    });
  });

  it('upgrades 91 bytes to LMS when the upgrade is on', () => {
    assert.deepEqual(fitContentToChannel('sms', { body: `${hangul(45)}a` }, upgrade), {
      ok: true,
      value: 'lms',
    });
  });

  it('refuses 91 bytes with HERALD_SMS_TOO_LONG when the upgrade is off, naming the field and size', () => {
    const result = fitContentToChannel('sms', { body: `${hangul(45)}a` }, noUpgrade);
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.code, 'HERALD_SMS_TOO_LONG');
    assert.match(!result.ok ? result.error.message : '', /content\.body is 91 EUC-KR bytes.*at most 90/);
  });

  it('turns an SMS with a subject into LMS, or refuses it when the upgrade is off', () => {
    assert.deepEqual(fitContentToChannel('sms', { subject: '안내', body: 'hi' }, upgrade), {
      ok: true,
      value: 'lms',
    });
    assert.equal(
      errorCode(fitContentToChannel('sms', { subject: '안내', body: 'hi' }, noUpgrade)),
      'HERALD_SUBJECT_NOT_SUPPORTED',
    );
  });

  it('refuses an upgraded SMS whose body is beyond the LMS limit', () => {
    assert.equal(
      errorCode(fitContentToChannel('sms', { body: hangul(1001) }, upgrade)),
      'HERALD_BODY_TOO_LONG',
    );
  });
});

describe('fitContentToChannel: other channels', () => {
  it('LMS allows a 2000-byte body and a 40-byte subject, not more', () => {
    assert.equal(fitContentToChannel('lms', { subject: hangul(20), body: hangul(1000) }, upgrade).ok, true);
    assert.equal(
      errorCode(fitContentToChannel('lms', { body: `${hangul(1000)}a` }, upgrade)),
      'HERALD_BODY_TOO_LONG',
    );
    assert.equal(
      errorCode(fitContentToChannel('mms', { subject: `${hangul(20)}a`, body: 'x' }, upgrade)),
      'HERALD_SUBJECT_TOO_LONG',
    );
  });

  it('push: body at most 2000 characters, title at most 200 (the payload is the push payload rule)', () => {
    assert.equal(fitContentToChannel('push', { subject: 'Hi', body: 'a'.repeat(2000) }, upgrade).ok, true);
    assert.equal(
      errorCode(fitContentToChannel('push', { body: 'a'.repeat(2001) }, upgrade)),
      'HERALD_BODY_TOO_LONG',
    );
    assert.equal(
      errorCode(fitContentToChannel('push', { subject: 's'.repeat(201), body: 'b' }, upgrade)),
      'HERALD_SUBJECT_TOO_LONG',
    );
  });

  it('email: subject at most 998 characters, body at most 512 KiB', () => {
    assert.equal(fitContentToChannel('email', { subject: 's'.repeat(998), body: 'b' }, upgrade).ok, true);
    assert.equal(
      errorCode(fitContentToChannel('email', { subject: 's'.repeat(999), body: 'b' }, upgrade)),
      'HERALD_SUBJECT_TOO_LONG',
    );
    assert.equal(
      errorCode(fitContentToChannel('email', { body: 'b'.repeat(512 * 1024 + 1) }, upgrade)),
      'HERALD_BODY_TOO_LONG',
    );
  });

  it('vms and alimtalk: body at most 1000 characters; vms has no subject', () => {
    assert.equal(fitContentToChannel('vms', { body: hangul(1000) }, upgrade).ok, true);
    assert.equal(
      errorCode(fitContentToChannel('vms', { body: hangul(1001) }, upgrade)),
      'HERALD_BODY_TOO_LONG',
    );
    assert.equal(
      errorCode(fitContentToChannel('vms', { subject: 'x', body: 'y' }, upgrade)),
      'HERALD_SUBJECT_NOT_SUPPORTED',
    );
    assert.equal(
      errorCode(fitContentToChannel('alimtalk', { body: 'a'.repeat(1001) }, upgrade)),
      'HERALD_BODY_TOO_LONG',
    );
  });
});

describe('measureText', () => {
  it('counts an emoji as one character but four UTF-8 bytes', () => {
    assert.equal(measureText('😀', 'characters'), 1);
    assert.equal(measureText('😀', 'UTF-8 bytes'), 4);
    assert.equal(measureText('가a', 'EUC-KR bytes'), 3);
  });
});
