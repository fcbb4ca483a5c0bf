import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  enhancedStatusOf,
  mapSmtpError,
  SMTP_RATE_LIMIT_RETRY_MS,
} from '../../../src/vendors/smtp/smtp-errors.ts';

const live = new AbortController().signal;
const reply = (responseCode: number, response: string, code = 'EMESSAGE') =>
  Object.assign(new Error(response), { code, responseCode, response });

describe('mapSmtpError', () => {
  const cases: [string, Error, string, boolean, boolean, string][] = [
    [
      '550 mailbox unavailable',
      reply(550, '550 5.1.1 No such user'),
      'HERALD_RECIPIENT_INVALID',
      false,
      false,
      '550 5.1.1',
    ],
    [
      '553 mailbox name not allowed',
      reply(553, '553 5.1.3 Bad address'),
      'HERALD_RECIPIENT_INVALID',
      false,
      false,
      '553 5.1.3',
    ],
    [
      '554 refused as spam',
      reply(554, '554 5.7.1 Refused'),
      'HERALD_VENDOR_REJECTED',
      false,
      false,
      '554 5.7.1',
    ],
    ['552 too big', reply(552, '552 5.3.4 Too big'), 'HERALD_VENDOR_REJECTED', false, false, '552 5.3.4'],
    [
      '535 bad credentials',
      reply(535, '535 5.7.8 Bad credentials', 'EAUTH'),
      'HERALD_VENDOR_AUTH',
      false,
      true,
      '535 5.7.8',
    ],
    ['421 closing', reply(421, '421 4.3.2 Closing'), 'HERALD_VENDOR_UNAVAILABLE', true, true, '421 4.3.2'],
    [
      '451 local error, no enhanced code',
      reply(451, '451 Try later'),
      'HERALD_VENDOR_UNAVAILABLE',
      true,
      true,
      '451',
    ],
    [
      '451 4.7.500 throttled',
      reply(451, '451 4.7.500 Server busy'),
      'HERALD_VENDOR_RATE_LIMITED',
      true,
      false,
      '451 4.7.500',
    ],
  ];
  for (const [name, error, code, retryable, vendorFault, vendorCode] of cases) {
    it(name, () => {
      const mapped = mapSmtpError('smtp', error, live, false);
      assert.deepEqual(
        [mapped.code, mapped.retryable, mapped.vendorFault, mapped.vendorCode],
        [code, retryable, vendorFault, vendorCode],
      );
    });
  }

  it('gives a throttling reply a wait, as SMTP has no Retry-After', () => {
    assert.equal(
      mapSmtpError('smtp', reply(421, '421 4.7.28 Slow down'), live, false).retryAfterMs,
      SMTP_RATE_LIMIT_RETRY_MS,
    );
  });

  it('takes a connection failure without a reply as retryable and the relay fault', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNECTION' });
    const mapped = mapSmtpError('smtp', refused, live, false);
    assert.deepEqual(
      [mapped.code, mapped.retryable, mapped.vendorFault],
      ['HERALD_VENDOR_UNAVAILABLE', true, true],
    );
  });

  it('takes a failure after our own close as retryable and no fault of the relay', () => {
    const mapped = mapSmtpError('smtp', reply(421, '421 4.3.2 Closing'), live, true);
    assert.deepEqual(
      [mapped.code, mapped.vendorFault, mapped.vendorCode],
      ['HERALD_VENDOR_UNAVAILABLE', false, 'CLIENT_CLOSED'],
    );
  });

  it('reads the enhanced status of single- and multi-line replies only', () => {
    assert.equal(enhancedStatusOf('550 5.1.1 No such user'), '5.1.1');
    assert.equal(enhancedStatusOf('550-5.1.1 No such user'), '5.1.1');
    assert.equal(enhancedStatusOf('550 No such user 5.1.1'), undefined);
    assert.equal(enhancedStatusOf(undefined), undefined);
  });
});
