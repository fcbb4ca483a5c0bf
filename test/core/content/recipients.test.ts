import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkRecipient, normalisePhone } from '../../../src/core/content/recipients.ts';

function normalised(result: ReturnType<typeof checkRecipient>): string | undefined {
  return result.ok ? result.value : undefined;
}

describe('phone recipients', () => {
  it('normalises the usual spellings of one mobile number', () => {
    for (const raw of [
      '01012345678',
      '010-1234-5678',
      '010 1234 5678',
      '+82 10-1234-5678',
      '+821012345678',
      '+82 010 1234 5678',
    ]) {
      assert.equal(normalised(checkRecipient('sms', raw, 'recipients[0].to')), '01012345678', raw);
    }
    assert.equal(normalisePhone('0082-10-1234-5678'), '01012345678');
  });

  it('accepts legacy mobile prefixes with 7 digits', () => {
    assert.equal(normalised(checkRecipient('lms', '011-123-4567', 'to')), '0111234567');
  });

  it('refuses landlines, foreign numbers and letters for text channels, naming the field without the value', () => {
    for (const raw of [
      '02-123-4567',
      '+1 415 555 0100',
      '010-1234-567a',
      '',
      '0101234567890',
      '013-1234-5678',
    ]) {
      const result = checkRecipient('alimtalk', raw, 'recipients[51].to');
      assert.equal(result.ok, false, raw);
      assert.equal(!result.ok && result.error.code, 'HERALD_INVALID_PHONE');
      const message = !result.ok ? result.error.message : '';
      assert.match(message, /^recipients\[51\]\.to must be a Korean mobile number/);
      if (raw.length > 0) assert.ok(!message.includes(raw));
    }
  });

  it('accepts landlines and internet phones for voice calls', () => {
    assert.equal(normalised(checkRecipient('vms', '02-123-4567', 'to')), '021234567');
    assert.equal(normalised(checkRecipient('vms', '031-1234-5678', 'to')), '03112345678');
    assert.equal(normalised(checkRecipient('vms', '070-1234-5678', 'to')), '07012345678');
    assert.equal(checkRecipient('vms', '099-1234-5678', 'to').ok, false);
  });
});

describe('e-mail recipients', () => {
  it('accepts ordinary addresses and lower-cases the domain only', () => {
    assert.equal(
      normalised(checkRecipient('email', ' Kim.Lee+promo@Example.CO.KR ', 'to')),
      'Kim.Lee+promo@example.co.kr',
    );
    assert.equal(normalised(checkRecipient('email', 'a@xn--hq1bm8jm9l.kr', 'to')), 'a@xn--hq1bm8jm9l.kr');
  });

  it('refuses malformed addresses with HERALD_INVALID_EMAIL', () => {
    const bad = [
      'plain',
      '@example.com',
      'kim@',
      'kim@localhost',
      'kim..lee@example.com',
      '.kim@example.com',
      'kim@-example.com',
      'kim@example.123',
      'kim lee@example.com',
      `${'a'.repeat(65)}@example.com`,
      `a@${'b'.repeat(250)}.com`,
      '김@example.com',
    ];
    for (const raw of bad) {
      const result = checkRecipient('email', raw, 'recipients[2].to');
      assert.equal(!result.ok && result.error.code, 'HERALD_INVALID_EMAIL', raw);
      assert.match(!result.ok ? result.error.message : '', /^recipients\[2\]\.to must be an e-mail address/);
    }
  });
});

describe('device-token recipients', () => {
  it('accepts an FCM-style token unchanged', () => {
    const token = 'cXyZ123:APA91bH-abc_DEF';
    assert.equal(normalised(checkRecipient('push', token, 'to')), token);
  });

  it('refuses empty, whitespace-carrying and oversized tokens', () => {
    for (const raw of ['', 'abc def', ' abc', 'a'.repeat(4097), 'tök']) {
      const result = checkRecipient('push', raw, 'recipients[0].to');
      assert.equal(
        !result.ok && result.error.code,
        'HERALD_INVALID_DEVICE_TOKEN',
        JSON.stringify(raw.slice(0, 8)),
      );
    }
    assert.equal(checkRecipient('push', 'a'.repeat(4096), 'to').ok, true);
  });
});
