import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { phoneNumbers, startTestHerald, type TestHerald, waitForRequest } from '../support/herald-harness.ts';

/**
 * The advertising lane on the embedded default: the opt-out list kept through the API and honoured
 * at submission, and marked ads delivered through the ad lane's worker. Recipients carry night
 * consent, so the outcome does not depend on the hour the test runs (the night rule itself is
 * tested with an injected clock in test/core/pipeline/defer-night-ads.test.ts).
 */
describe('ad lane, end to end (embedded default)', () => {
  let h: TestHerald;
  before(async () => {
    h = await startTestHerald();
  });
  after(() => h.stop());

  it('refuses the opted-out recipient and delivers the ad to the others', async () => {
    const [optedOut, ...others] = phoneNumbers(3, 7_000);
    const listed = await h.call('POST', '/v1/opt-outs', { channel: 'sms', to: optedOut });
    assert.equal(listed.status, 200, JSON.stringify(listed.body));

    const accepted = await h.call('POST', '/v1/messages', {
      channel: 'sms',
      lane: 'ad',
      sender: { name: '헤럴드마트' },
      content: { body: '(광고) 헤럴드마트 봄 세일 20%\n무료수신거부 080-888-0327' },
      recipients: [optedOut, ...others].map((to) => ({ to, nightAdConsent: true })),
    });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    assert.equal(accepted.body.messages[0].error.code, 'HERALD_RECIPIENT_OPTED_OUT');
    assert.equal(accepted.body.accepted, 2);

    const view = await waitForRequest(h, accepted.body.requestId);
    assert.equal(view.lane, 'ad');
    assert.deepEqual(view.messages[0], accepted.body.messages[0], 'the refused recipient, with its error');
    assert.deepEqual(
      view.messages.slice(1).map((m: { index: number; status: string }) => [m.index, m.status]),
      [
        [1, 'sent'],
        [2, 'sent'],
      ],
    );
  });

  it('refuses an unmarked ad with 400 before anything is queued', async () => {
    const response = await h.call('POST', '/v1/messages', {
      channel: 'lms',
      lane: 'ad',
      sender: { name: '헤럴드마트' },
      content: { body: '[광고] 헤럴드마트 봄 세일\n무료수신거부 080-888-0327' },
      recipients: [{ to: phoneNumbers(1, 7_100)[0] }],
    });
    assert.equal(response.status, 400);
    assert.equal(response.body.error.code, 'HERALD_AD_MARKING_MISSING');
  });
});
