import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkDeviceToken,
  checkNotificationHeaders,
  checkPayload,
  checkRequestLine,
  checkTopic,
} from '../../../src/simulators/apns/apns-request-checks.ts';

const TOKEN = 'ab'.repeat(32);

function reasonOf(checked: { ok: boolean; reason?: string }): string | undefined {
  return checked.ok ? undefined : checked.reason;
}

describe('APNs request checks', () => {
  it('takes POST /3/device/<token> only', () => {
    assert.deepEqual(checkRequestLine('POST', `/3/device/${TOKEN}`), { ok: true, value: TOKEN });
    assert.equal(reasonOf(checkRequestLine('GET', `/3/device/${TOKEN}`)), 'MethodNotAllowed');
    assert.equal(reasonOf(checkRequestLine('POST', '/3/device/')), 'MissingDeviceToken');
    assert.equal(reasonOf(checkRequestLine('POST', '/3/device')), 'MissingDeviceToken');
    assert.equal(reasonOf(checkRequestLine('POST', `/2/device/${TOKEN}`)), 'BadPath');
    assert.equal(reasonOf(checkRequestLine('POST', `/3/device/${TOKEN}/x`)), 'BadPath');
  });

  it('requires a well-formed topic, among the allowed ones when the key has a list', () => {
    assert.deepEqual(checkTopic({ 'apns-topic': 'com.example.shop' }, undefined), {
      ok: true,
      value: 'com.example.shop',
    });
    assert.equal(reasonOf(checkTopic({}, undefined)), 'MissingTopic');
    assert.equal(reasonOf(checkTopic({ 'apns-topic': '' }, undefined)), 'MissingTopic');
    assert.equal(reasonOf(checkTopic({ 'apns-topic': 'no spaces.allowed here' }, undefined)), 'BadTopic');
    assert.equal(
      reasonOf(checkTopic({ 'apns-topic': 'com.other.app' }, ['com.example.shop'])),
      'TopicDisallowed',
    );
    assert.equal(checkTopic({ 'apns-topic': 'com.example.shop.voip' }, ['com.example.shop.voip']).ok, true);
  });

  it('takes an even count of 64 to 200 hex digits as a device token', () => {
    assert.deepEqual(checkDeviceToken(TOKEN.toUpperCase()), { ok: true, value: TOKEN });
    assert.equal(checkDeviceToken('ab'.repeat(100)).ok, true);
    for (const bad of ['ab'.repeat(31), 'ab'.repeat(101), `${TOKEN}a`, `${'zz'}${TOKEN.slice(2)}`]) {
      assert.equal(reasonOf(checkDeviceToken(bad)), 'BadDeviceToken', bad);
    }
  });

  it('checks apns-id, push type, priority, expiration and collapse id', () => {
    const id = '019a0000-0000-7000-8000-000000000001';
    assert.deepEqual(checkNotificationHeaders({ 'apns-id': id.toUpperCase() }), {
      ok: true,
      value: { apnsId: id, pushType: 'alert' },
    });
    const cases: Array<[Record<string, string>, string]> = [
      [{ 'apns-id': 'not-a-uuid' }, 'BadMessageId'],
      [{ 'apns-push-type': 'loud' }, 'InvalidPushType'],
      [{ 'apns-priority': '7' }, 'BadPriority'],
      [{ 'apns-push-type': 'background', 'apns-priority': '10' }, 'BadPriority'],
      [{ 'apns-expiration': 'tomorrow' }, 'BadExpirationDate'],
      [{ 'apns-expiration': '-1' }, 'BadExpirationDate'],
      [{ 'apns-collapse-id': 'x'.repeat(65) }, 'BadCollapseId'],
    ];
    for (const [headers, reason] of cases) assert.equal(reasonOf(checkNotificationHeaders(headers)), reason);
    const fine = {
      'apns-push-type': 'background',
      'apns-priority': '5',
      'apns-expiration': '0',
      'apns-collapse-id': 'x'.repeat(64),
    };
    assert.deepEqual(checkNotificationHeaders(fine), {
      ok: true,
      value: { apnsId: undefined, pushType: 'background' },
    });
  });

  it('takes a JSON object with aps of at most 4096 bytes (5120 for VoIP)', () => {
    const sized = (bytes: number) => {
      const base = JSON.stringify({ aps: { alert: '' } });
      return Buffer.from(JSON.stringify({ aps: { alert: 'x'.repeat(bytes - base.length) } }));
    };
    assert.equal(checkPayload(sized(4_096), 'alert').ok, true);
    assert.equal(reasonOf(checkPayload(sized(4_097), 'alert')), 'PayloadTooLarge');
    assert.equal(checkPayload(sized(5_120), 'voip').ok, true);
    assert.equal(reasonOf(checkPayload(sized(5_121), 'voip')), 'PayloadTooLarge');
    for (const body of ['', '{', '[]', '{"alert":"hi"}', '{"aps":"hi"}']) {
      assert.equal(reasonOf(checkPayload(Buffer.from(body), 'alert')), 'PayloadEmpty', body);
    }
  });
});
