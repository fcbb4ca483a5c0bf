import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LengthUnit } from '../../../src/core/content/channel-limits.ts';
import { CHANNEL_LIMITS, measureText } from '../../../src/core/content/channel-limits.ts';
import type { RenderMeter } from '../../../src/core/content/render-template.ts';
import type { Channel } from '../../../src/core/domain/channel.ts';
import type { SubmissionRequest } from '../../../src/core/submission/submission-types.ts';
import { NoValidRecipientsError } from '../../../src/core/submission/submission-types.ts';
import { submitMessages } from '../../../src/core/submission/submit-messages.ts';
import { approvedTemplate } from '../../support/templates.ts';
import { fakeSubmission } from './fake-submission-context.ts';

/**
 * The request that froze the process (issue 8): a 528 KB body of 131,000 `#{a}` and a
 * 4,000-character `a` renders to 524 million characters. It must be refused with the size error,
 * and the renderer must have produced no more than the channel's limit plus one value: counted by
 * a meter, never timed.
 */
const BOMB = '#{a}'.repeat(131_000);
const ASCII_VALUE = 'x'.repeat(4_000);
const HANGUL_VALUE = '가'.repeat(4_000);

interface Rendering {
  readonly produced: number;
  readonly unit: LengthUnit;
}

function countingMeter(): { meter: RenderMeter; renderings: Rendering[] } {
  const renderings: Rendering[] = [];
  return { meter: { rendered: (produced, unit) => renderings.push({ produced, unit }) }, renderings };
}

function recipients(channel: Channel, count: number, value: string) {
  return Array.from({ length: count }, (_, i) => ({
    to:
      channel === 'email'
        ? `user${i}@example.com`
        : channel === 'push'
          ? `device-token-${i}`
          : `010${10_000_000 + i}`,
    vars: { a: value },
  }));
}

async function refusal(request: SubmissionRequest, smsAutoUpgrade = true) {
  const fake = fakeSubmission();
  fake.config = { ...fake.config, smsAutoUpgrade };
  const { meter, renderings } = countingMeter();
  const error = await submitMessages({ ...fake.context, renderMeter: meter }, request).then(
    () => assert.fail('the request was accepted'),
    (thrown: unknown) => thrown,
  );
  assert.ok(error instanceof NoValidRecipientsError, String(error));
  assert.equal(fake.produced.length, 0);
  return { codes: error.messages.map((m) => m.error.code), messages: error.messages, renderings };
}

const cases: [string, Channel, string, number, LengthUnit, string][] = [
  [
    'sms (rendered within the LMS limit it may be upgraded to)',
    'sms',
    ASCII_VALUE,
    2_000,
    'EUC-KR bytes',
    'HERALD_BODY_TOO_LONG',
  ],
  ['lms', 'lms', ASCII_VALUE, CHANNEL_LIMITS.lms.body.max, 'EUC-KR bytes', 'HERALD_BODY_TOO_LONG'],
  ['push', 'push', ASCII_VALUE, CHANNEL_LIMITS.push.body.max, 'characters', 'HERALD_BODY_TOO_LONG'],
  [
    'email with a Hangul value',
    'email',
    HANGUL_VALUE,
    CHANNEL_LIMITS.email.body.max,
    'UTF-8 bytes',
    'HERALD_BODY_TOO_LONG',
  ],
];

describe('rendering is bounded: the placeholder bomb is refused with the size error', () => {
  for (const [what, channel, value, max, unit, code] of cases) {
    for (const count of [1, 10]) {
      it(`${what}, ${count} recipient(s)`, async () => {
        const { codes, messages, renderings } = await refusal({
          clientId: 'attacker',
          channel,
          lane: 'realtime',
          content: { body: BOMB },
          recipients: recipients(channel, count, value),
        });
        assert.deepEqual(codes, Array(count).fill(code));
        assert.match(messages[0]!.error.message, /content\.body \(rendered for recipients\[0\]\) is \d+ /);
        assert.equal(renderings.length, count, 'each recipient rendered once');
        for (const rendering of renderings) {
          assert.equal(rendering.unit, unit);
          assert.ok(
            rendering.produced <= max + measureText(value, unit),
            `produced ${rendering.produced} ${unit}, limit ${max}`,
          );
        }
      });
    }
  }

  it('sms with the LMS upgrade off: HERALD_SMS_TOO_LONG, within 90 bytes', async () => {
    const { codes, renderings } = await refusal(
      {
        clientId: 'attacker',
        channel: 'sms',
        lane: 'realtime',
        content: { body: BOMB },
        recipients: recipients('sms', 10, ASCII_VALUE),
      },
      false,
    );
    assert.deepEqual(codes, Array(10).fill('HERALD_SMS_TOO_LONG'));
    assert.ok(renderings.every((r) => r.produced <= 90 + ASCII_VALUE.length));
  });

  it('an e-mail subject bomb: HERALD_SUBJECT_TOO_LONG, within 998 characters', async () => {
    const { codes, renderings } = await refusal({
      clientId: 'attacker',
      channel: 'email',
      lane: 'realtime',
      content: { subject: '#{a}'.repeat(200), body: 'hello' },
      recipients: recipients('email', 10, HANGUL_VALUE),
    });
    assert.deepEqual(codes, Array(10).fill('HERALD_SUBJECT_TOO_LONG'));
    assert.ok(renderings.every((r) => r.produced <= 998 + HANGUL_VALUE.length));
  });

  it('an AlimTalk template checked against Kakao’s 1000 characters the same way', async () => {
    const fake = fakeSubmission({
      templates: [approvedTemplate({ clientId: 'attacker', code: 'BOMB', body: '#{a}'.repeat(250) })],
    });
    const { meter, renderings } = countingMeter();
    const request: SubmissionRequest = {
      clientId: 'attacker',
      channel: 'alimtalk',
      lane: 'realtime',
      template: { code: 'BOMB', vars: { a: ASCII_VALUE } },
      recipients: recipients('alimtalk', 10, ASCII_VALUE),
    };
    await assert.rejects(submitMessages({ ...fake.context, renderMeter: meter }, request), (error) => {
      assert.ok(error instanceof NoValidRecipientsError);
      assert.deepEqual(
        error.messages.map((m) => m.error.code),
        Array(10).fill('HERALD_BODY_TOO_LONG'),
      );
      assert.match(error.messages[0]!.error.message, /template\.body \(rendered for recipients\[0\]\)/);
      return true;
    });
    assert.equal(renderings.length, 10);
    assert.ok(renderings.every((r) => r.produced <= 1_000 + ASCII_VALUE.length));
  });

  it('reports what an accepted rendering produced (the meter is not blind)', async () => {
    const fake = fakeSubmission();
    const { meter, renderings } = countingMeter();
    await submitMessages(
      { ...fake.context, renderMeter: meter },
      {
        clientId: 'shop',
        channel: 'sms',
        lane: 'realtime',
        content: { body: '#{a}님 안녕하세요' },
        recipients: recipients('sms', 2, '김'),
      },
    );
    // 김님 안녕하세요: seven Hangul syllables of 2 bytes and a space.
    assert.deepEqual(renderings, [
      { produced: 15, unit: 'EUC-KR bytes' },
      { produced: 15, unit: 'EUC-KR bytes' },
    ]);
  });
});
