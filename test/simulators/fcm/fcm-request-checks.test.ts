import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkFcmRequest } from '../../../src/simulators/fcm/fcm-request-checks.ts';

const TOKEN = 'abc:APA91bXYZ';

function check(body: unknown) {
  return checkFcmRequest(Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)));
}

/** The answer of a refused request: status, message and the BadRequest field, if any. */
function refusal(body: unknown) {
  const result = check(body);
  assert.equal(result.ok, false, 'expected a refusal');
  const answer = (result as { answer: { status: number; body: { error: Record<string, unknown> } } }).answer;
  const details = answer.body.error.details as {
    '@type': string;
    errorCode?: string;
    fieldViolations?: { field: string }[];
  }[];
  assert.equal(answer.status, 400);
  assert.equal(answer.body.error.status, 'INVALID_ARGUMENT');
  assert.equal(details[0]!.errorCode, 'INVALID_ARGUMENT');
  return { message: answer.body.error.message as string, field: details[1]?.fieldViolations?.[0]?.field };
}

describe('FCM request checks', () => {
  it('takes a valid message, counting it by data.herald_message_id, else by its target', () => {
    assert.deepEqual(check({ message: { token: TOKEN, data: { herald_message_id: 'm1' } } }), {
      ok: true,
      request: { validateOnly: false, token: TOKEN, countId: 'm1' },
    });
    assert.deepEqual(check({ validateOnly: true, message: { topic: 'news' } }), {
      ok: true,
      request: { validateOnly: true, token: undefined, countId: 'news' },
    });
  });

  it('takes every field firebase-admin and herald send, in either spelling', () => {
    const result = check({
      validate_only: false,
      message: {
        token: TOKEN,
        notification: { title: 't', body: 'b', image: 'https://i.example/x.png' },
        data: { a: 'b' },
        android: { priority: 'high', ttl: '3.5s', collapse_key: 'c', notification: { channel_id: 'x' } },
        apns: { headers: { 'apns-priority': '10' }, payload: { aps: { badge: 1 } } },
        webpush: {
          headers: { TTL: '60' },
          data: { a: 'b' },
          notification: { icon: 'i' },
          fcm_options: { link: 'l' },
        },
        fcmOptions: { analyticsLabel: 'x' },
      },
    });
    assert.equal(result.ok, true);
  });

  it('refuses a body that is not JSON, unknown fields and a missing message', () => {
    assert.match(refusal('{nope').message, /^Invalid JSON payload received/);
    assert.match(
      refusal({ message: { token: TOKEN }, extra: 1 }).message,
      /Unknown name "extra": Cannot find field/,
    );
    assert.match(
      refusal({ message: { token: TOKEN, tokens: [] } }).message,
      /Unknown name "tokens" at 'message'/,
    );
    assert.equal(refusal({}).field, 'message');
  });

  it('wants exactly one target', () => {
    assert.match(refusal({ message: { data: {} } }).message, /^Recipient of the message is not set/);
    assert.match(
      refusal({ message: { token: TOKEN, topic: 'news' } }).message,
      /oneof field 'target' is already set/,
    );
    assert.equal(refusal({ message: { token: 'has spaces' } }).field, 'message.token');
    assert.equal(refusal({ message: { token: 42 } }).field, 'message.token');
  });

  it('wants string data values and no reserved keys', () => {
    const number = refusal({ message: { token: TOKEN, data: { ok: 'x', count: 12 } } });
    assert.equal(number.message, "Invalid value at 'message.data[1].value' (TYPE_STRING), 12");
    assert.equal(number.field, 'message.data[1].value');
    for (const key of ['from', 'message_type', 'google.sent_time', 'gcm.notification.title']) {
      assert.match(refusal({ message: { token: TOKEN, data: { [key]: 'x' } } }).message, /reserved/, key);
    }
  });

  it('wants android.ttl as a duration of at most four weeks, and a known priority', () => {
    for (const ttl of ['10', '10m', '-1s', 10, '1.1234567890s']) {
      assert.equal(
        refusal({ message: { token: TOKEN, android: { ttl } } }).field,
        'message.android.ttl',
        String(ttl),
      );
    }
    assert.equal(
      refusal({ message: { token: TOKEN, android: { ttl: '2419201s' } } }).field,
      'message.android.ttl',
    );
    assert.equal(check({ message: { token: TOKEN, android: { ttl: '2419200s' } } }).ok, true);
    assert.equal(
      refusal({ message: { token: TOKEN, android: { priority: 'urgent' } } }).field,
      'message.android.priority',
    );
  });

  it('checks the types of notification, apns and webpush', () => {
    assert.equal(
      refusal({ message: { token: TOKEN, notification: { title: 1 } } }).field,
      'message.notification.title',
    );
    assert.match(
      refusal({ message: { token: TOKEN, notification: { sound: 'x' } } }).message,
      /Unknown name "sound"/,
    );
    assert.equal(
      refusal({ message: { token: TOKEN, apns: { headers: { a: 1 } } } }).field,
      'message.apns.headers[0].value',
    );
    assert.equal(
      refusal({ message: { token: TOKEN, apns: { payload: 'x' } } }).field,
      'message.apns.payload',
    );
    assert.equal(
      refusal({ message: { token: TOKEN, webpush: { data: { a: true } } } }).field,
      'message.webpush.data[0].value',
    );
  });

  it('refuses a payload over 4096 bytes, not counting the token', () => {
    const fits = 'x'.repeat(4_096 - JSON.stringify({ data: { k: '' } }).length);
    assert.equal(check({ message: { token: `${TOKEN}${'y'.repeat(500)}`, data: { k: fits } } }).ok, true);
    assert.match(
      refusal({ message: { token: TOKEN, data: { k: `${fits}x` } } }).message,
      /^Message is too big: 4097 bytes/,
    );
  });
});
