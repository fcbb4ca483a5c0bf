import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type SimulatorServer, startSimulatorServer } from '../../../src/simulators/simulator-server.ts';

let sim: SimulatorServer;

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown> };
}

describe('the text vendors control routes', () => {
  before(async () => {
    sim = await startSimulatorServer({ vendors: { 'nhn-alimtalk': {}, 'nhn-sms': {} } });
  });
  after(() => sim.close());

  it("sets Kakao's audience by shares and by named numbers", async () => {
    const answer = await call('PUT', '/_sim/kakao/audience', {
      shares: { notKakaoUser: 0.25 },
      numbers: { '3020': ['01011112222'] },
    });
    assert.equal(answer.status, 200);
    assert.equal(sim.text.kakao.outcomeFor('01011112222'), '3020');
    assert.deepEqual((await call('GET', '/_sim/kakao/audience')).body, {
      shares: { notKakaoUser: 0.25, blocked: 0, inactive: 0 },
    });
    assert.equal((await call('PUT', '/_sim/kakao/audience', { numbers: { '9999': ['010'] } })).status, 400);
    assert.equal((await call('PUT', '/_sim/kakao/audience', { shares: { blocked: 2 } })).status, 400);
  });

  it('sets the sender numbers and Kakao channels a vendor has on record, or opens them again', async () => {
    assert.equal(
      (await call('PUT', '/_sim/vendors/nhn-sms/sender-numbers', { numbers: ['0212345678'] })).status,
      200,
    );
    assert.equal(sim.text.senderNumbers.allows('nhn-sms', '0299999999'), false);
    await call('PUT', '/_sim/vendors/nhn-sms/sender-numbers', { numbers: null });
    assert.equal(sim.text.senderNumbers.allows('nhn-sms', '0299999999'), true);
    await call('PUT', '/_sim/vendors/nhn-alimtalk/kakao-senders', { senders: ['a'.repeat(40)] });
    assert.equal(sim.text.kakaoSenders.allows('nhn-alimtalk', 'b'.repeat(40)), false);
    assert.equal((await call('PUT', '/_sim/vendors/nhn-sms/sender-numbers', { numbers: [1] })).status, 400);
    assert.equal((await call('PUT', '/_sim/vendors/nope/sender-numbers', { numbers: [] })).status, 404);
  });

  it('changes a template at one vendor behind herald, keeping what the change leaves out', async () => {
    const put = await call('PUT', '/_sim/vendors/nhn-alimtalk/templates/T1', {
      senderId: '@shop',
      body: '#{name}님',
    });
    assert.equal(put.status, 200);
    await call('PUT', '/_sim/vendors/nhn-alimtalk/templates/T1', {
      state: 'rejected',
      rejectedReason: '광고성',
    });
    const [template] = (await call('GET', '/_sim/vendors/nhn-alimtalk/templates')).body.templates as Record<
      string,
      unknown
    >[];
    assert.deepEqual(
      { body: template!.body, state: template!.state, reason: template!.rejectedReason },
      { body: '#{name}님', state: 'rejected', reason: '광고성' },
    );
    assert.equal((await call('PUT', '/_sim/vendors/nhn-alimtalk/templates/T2', { body: 'x' })).status, 400);
  });

  it('turns template review and result delays on, and resets everything but the trust', async () => {
    const answer = await call('PUT', '/_sim/text/settings', {
      autoApproveTemplates: false,
      resultDelayMs: 250,
    });
    assert.deepEqual(answer.body, {
      autoApproveTemplates: false,
      resultDelayMs: 250,
      carrierMix: { SKT: 45, KT: 30, 'LGU+': 20, MVNO: 5 },
      undeliveredShare: 0.03,
      receiptSeed: 11,
    });
    assert.equal((await call('PUT', '/_sim/text/settings', { resultDelayMs: -1 })).status, 400);
    assert.equal((await call('POST', '/_sim/reset')).status, 204);
    assert.equal(sim.text.templates.autoApprove, true);
    assert.equal(sim.text.templates.list('nhn-alimtalk').length, 0);
    assert.equal(sim.text.kakao.outcomeFor('01011112222'), '1000');
  });

  it("sets the receipts' carrier mix, undelivered share, seed and look-up limits, and SOLAPI's webhook", async () => {
    const answer = await call('PUT', '/_sim/text/settings', {
      carrierMix: { SKT: 1, MVNO: 1 },
      undeliveredShare: 0.5,
      receiptSeed: 42,
      lookUpRateLimitPerSecond: { 'nhn-sms': 3 },
    });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.carrierMix, { SKT: 1, KT: 0, 'LGU+': 0, MVNO: 1 });
    assert.deepEqual(sim.text.results.mix, {
      carriers: { SKT: 1, KT: 0, 'LGU+': 0, MVNO: 1 },
      undeliveredShare: 0.5,
      seed: 42,
    });
    assert.equal(sim.text.lookUps.limitOf('nhn-sms'), 3);
    for (const bad of [
      { carrierMix: { SKT: -1 } },
      { carrierMix: { VERIZON: 1 } },
      { carrierMix: { SKT: 0 } },
      { undeliveredShare: 1.5 },
      { receiptSeed: 'x' },
      { lookUpRateLimitPerSecond: { 'nhn-sms': 0 } },
    ]) {
      assert.equal((await call('PUT', '/_sim/text/settings', bad)).status, 400, JSON.stringify(bad));
    }
    assert.equal(
      (await call('PUT', '/_sim/text/settings', { lookUpRateLimitPerSecond: { nope: 1 } })).status,
      404,
    );
    assert.equal(
      (await call('PUT', '/_sim/vendors/nhn-sms/webhook', { url: 'http://127.0.0.1:9/hook' })).status,
      200,
    );
    assert.equal(sim.text.webhooks.get('nhn-sms'), 'http://127.0.0.1:9/hook');
    assert.equal((await call('PUT', '/_sim/vendors/nhn-sms/webhook', { url: 'ftp://x' })).status, 400);
    assert.equal((await call('PUT', '/_sim/vendors/nhn-sms/webhook', { url: null })).status, 200);
    assert.equal(sim.text.webhooks.has('nhn-sms'), false);
    assert.equal((await call('POST', '/_sim/reset')).status, 204);
    assert.equal(sim.text.results.mix.undeliveredShare, 0.03);
    assert.equal(sim.text.lookUps.limitOf('nhn-sms'), null);
  });
});
