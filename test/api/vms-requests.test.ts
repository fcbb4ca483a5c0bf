import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { envelopes } from '../core/submission/fake-submission-context.ts';
import type { TestApp } from './test-app.ts';
import { auth, buildTestApp } from './test-app.ts';

const vmsBody = (extra: Record<string, unknown> = {}) => ({
  channel: 'vms',
  lane: 'realtime',
  content: { body: '주문하신 상품이 내일 도착합니다. 변경하시려면 1번을 눌러 주세요.' },
  recipients: [{ to: '010-1234-5678' }],
  ...extra,
});

/** POST /v1/messages on channel vms: the voice options travel to the envelope, SOLAPI's rules hold at the edge. */
describe('public API: VMS requests and voice options', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.app.close());

  const post = (payload: object) =>
    t.app.inject({ method: 'POST', url: '/v1/messages', headers: auth(), payload });

  it('accepts a VMS with voice options and carries them, the counselor as digits, in the envelope', async () => {
    const before = t.submission.produced.length;
    const vms = {
      voiceType: 'male',
      headerMessage: '헤럴드에서 알려 드립니다',
      counselorNumber: '02-930-2266',
    };
    const response = await post(vmsBody({ vms }));
    assert.equal(response.statusCode, 202, response.body);
    const [envelope] = envelopes(t.submission.produced.slice(before));
    assert.equal(envelope?.channel, 'vms');
    assert.deepEqual(envelope?.vms, { ...vms, counselorNumber: '029302266' });
    assert.match(envelope?.from ?? '', /^\d+$/, "a VMS is sent from the client's registered number");
  });

  it('answers 400 with a stable code and the field for every voice rule SOLAPI has', async () => {
    const cases: [object, string, RegExp][] = [
      [
        vmsBody({ vms: { replyRange: 1, counselorNumber: '0293022266' } }),
        'HERALD_VMS_OPTIONS_CONFLICT',
        /^vms\.counselorNumber and vms\.replyRange exclude each other/,
      ],
      [
        vmsBody({ vms: { tailMessage: '감사합니다' } }),
        'HERALD_VMS_TAIL_WITHOUT_HEADER',
        /^vms\.tailMessage is only played after a headerMessage/,
      ],
      [
        vmsBody({ vms: { headerMessage: '가'.repeat(136) } }),
        'HERALD_VMS_MESSAGE_TOO_LONG',
        /^vms\.headerMessage is 136 characters; .* at most 135/,
      ],
      [
        vmsBody({ vms: { headerMessage: '안내', tailMessage: '가'.repeat(136) } }),
        'HERALD_VMS_MESSAGE_TOO_LONG',
        /^vms\.tailMessage is 136 characters/,
      ],
      [
        vmsBody({ vms: { replyRange: 0 } }),
        'HERALD_VMS_OPTIONS_INVALID',
        /^vms\.replyRange must be a whole number from 1 to 9/,
      ],
      [
        vmsBody({ vms: { replyRange: 2.5 } }),
        'HERALD_VMS_OPTIONS_INVALID',
        /^vms\.replyRange must be a whole number from 1 to 9/,
      ],
      [
        vmsBody({ vms: { counselorNumber: '12345' } }),
        'HERALD_VMS_OPTIONS_INVALID',
        /^vms\.counselorNumber must be a Korean phone number/,
      ],
      [
        vmsBody({ vms: { headerMessage: '안내\n두 줄' } }),
        'HERALD_VMS_OPTIONS_INVALID',
        /^vms\.headerMessage must be non-empty text on one line/,
      ],
      [
        { ...vmsBody({ vms: { voiceType: 'female' } }), channel: 'sms' },
        'HERALD_VMS_OPTIONS_INVALID',
        /^vms applies to channel vms only; remove it for sms/,
      ],
      [vmsBody({ vms: { voiceType: 'child' } }), 'HERALD_VALIDATION_FAILED', /voiceType/],
      [vmsBody({ vms: { speed: 2 } }), 'HERALD_VALIDATION_FAILED', /vms\.speed/],
      [
        vmsBody({ content: { body: '가'.repeat(1001) } }),
        'HERALD_BODY_TOO_LONG',
        /^content\.body is 1001 characters; vms allows at most 1000/,
      ],
    ];
    for (const [payload, code, message] of cases) {
      const response = await post(payload);
      assert.equal(response.statusCode, 400, `${code}: ${response.body}`);
      const { error } = response.json();
      assert.equal(error.code, code, response.body);
      assert.match(error.message, message);
    }
  });

  it('answers 422 for a VMS from a number not registered for the client', async () => {
    const response = await post(vmsBody({ from: '0299998888' }));
    assert.equal(response.statusCode, 422, response.body);
    assert.equal(response.json().error.code, 'HERALD_SENDER_NOT_REGISTERED');
  });
});
