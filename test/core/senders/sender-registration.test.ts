import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normaliseSenderNumber } from '../../../src/core/senders/sender-number.ts';
import {
  checkImageHosts,
  checkKakaoChannels,
  checkSenderNumbers,
  MAX_SENDER_NUMBERS,
} from '../../../src/core/senders/sender-registration.ts';

describe('sender numbers', () => {
  it('keeps the digits of every Korean sender-number form', () => {
    for (const [raw, digits] of [
      ['02-1234-5678', '0212345678'],
      ['(02) 123 4567', '021234567'],
      ['010-1234-5678', '01012345678'],
      ['031.123.4567', '0311234567'],
      ['070-1234-5678', '07012345678'],
      ['0505-123-4567', '05051234567'],
      ['080-123-4567', '0801234567'],
      ['1588-1234', '15881234'],
      ['1644 1234', '16441234'],
    ]) {
      assert.equal(normaliseSenderNumber(raw!), digits, raw);
    }
  });

  it('refuses what no vendor sends from', () => {
    for (const raw of [
      '',
      '12',
      '1234-5678',
      '+82 2 1234 5678',
      '0212345678901',
      '02-1234-567a',
      '1700-1234',
    ]) {
      assert.equal(normaliseSenderNumber(raw), undefined, raw);
    }
  });

  it('stores digits, once each, making the first the default when none is marked', () => {
    assert.deepEqual(
      checkSenderNumbers([{ number: '02-1234-5678', label: 'main' }, { number: '1588-1234' }]),
      [
        { number: '0212345678', isDefault: true, label: 'main' },
        { number: '15881234', isDefault: false },
      ],
    );
    assert.deepEqual(
      checkSenderNumbers([{ number: '0212345678' }, { number: '15881234', isDefault: true }]).map(
        (n) => n.isDefault,
      ),
      [false, true],
    );
    assert.deepEqual(checkSenderNumbers([]), []);
  });

  it('names the entry that is wrong', () => {
    assert.throws(() => checkSenderNumbers([{ number: '0212345678' }, { number: 'x' }]), {
      code: 'HERALD_VALIDATION_FAILED',
      field: 'numbers[1].number',
    });
    assert.throws(() => checkSenderNumbers([{ number: '02-1234-5678' }, { number: '0212345678' }]), {
      message: /numbers\[1\]\.number is listed twice/,
    });
    assert.throws(
      () =>
        checkSenderNumbers([
          { number: '0212345678', isDefault: true },
          { number: '15881234', isDefault: true },
        ]),
      { field: 'numbers', message: /one entry isDefault/ },
    );
    const many = Array.from({ length: MAX_SENDER_NUMBERS + 1 }, (_, i) => ({
      number: `0101000${String(i).padStart(4, '0')}`,
    }));
    assert.throws(() => checkSenderNumbers(many), { message: /at most 100/ });
  });
});

describe('Kakao channels', () => {
  it('keeps each vendor id, one default', () => {
    assert.deepEqual(
      checkKakaoChannels([
        { name: ' @shop ', senderIds: { 'nhn-alimtalk': 'a'.repeat(40), 'sens-alimtalk': '@shop' } },
        { name: '@events', senderIds: { 'solapi-alimtalk': 'KA01PF123' } },
      ]),
      [
        {
          name: '@shop',
          senderIds: { 'nhn-alimtalk': 'a'.repeat(40), 'sens-alimtalk': '@shop' },
          isDefault: true,
        },
        { name: '@events', senderIds: { 'solapi-alimtalk': 'KA01PF123' }, isDefault: false },
      ],
    );
  });

  it('refuses a channel no vendor knows, bad vendor ids and ids with spaces', () => {
    assert.throws(() => checkKakaoChannels([{ name: '@shop', senderIds: {} }]), {
      field: 'channels[0].senderIds',
    });
    assert.throws(() => checkKakaoChannels([{ name: '@shop', senderIds: { 'NHN ALIMTALK': 'k' } }]), {
      message: /vendor ids/,
    });
    assert.throws(() => checkKakaoChannels([{ name: '@shop', senderIds: { 'nhn-alimtalk': 'a b' } }]), {
      field: 'channels[0].senderIds.nhn-alimtalk',
    });
    assert.throws(
      () =>
        checkKakaoChannels([
          { name: '@shop', senderIds: { x: 'a' } },
          { name: '@shop', senderIds: { x: 'b' } },
        ]),
      { message: /listed twice/ },
    );
  });
});

describe('image hosts', () => {
  it('keeps exact host names in lower case', () => {
    assert.deepEqual(checkImageHosts(['CDN.Example.com.', 'img.example.co.kr']), [
      'cdn.example.com',
      'img.example.co.kr',
    ]);
  });

  it('refuses schemes, ports, paths, IP addresses, single labels and repeats', () => {
    for (const host of [
      'https://cdn.example.com',
      'cdn.example.com:443',
      'cdn.example.com/x',
      '10.0.0.1',
      'localhost',
      '*.example.com',
      '-a.example.com',
    ]) {
      assert.throws(
        () => checkImageHosts([host]),
        { code: 'HERALD_VALIDATION_FAILED', field: 'hosts[0]' },
        host,
      );
    }
    assert.throws(() => checkImageHosts(['a.example.com', 'A.example.com']), { message: /listed twice/ });
  });
});
