import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  type NhnSimulator,
  phoneNumber,
  startNhnSimulator,
  TEMPLATE_CODE,
  VENDOR_ID,
} from '../../vendors/nhn-alimtalk/nhn-alimtalk-test-kit.ts';

interface Answer {
  readonly status: number;
  readonly body: {
    header?: { resultCode: number; isSuccessful: boolean };
    message?: Record<string, unknown> & { requestId?: string; sendResults?: Record<string, unknown>[] };
    [key: string]: unknown;
  };
}

describe('nhn-alimtalk simulator contract', () => {
  let nhn: NhnSimulator;

  beforeEach(async () => {
    nhn = await startNhnSimulator([{ type: 'WL', name: '배송 조회', linkMobile: 'https://example.com' }]);
  });
  afterEach(() => nhn.sim.close());

  async function call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    appKey = nhn.trust.accountId,
  ): Promise<Answer> {
    const response = await fetch(`${nhn.baseUrl}/alimtalk/v2.3/appkeys/${appKey}${path}`, {
      method,
      headers: {
        'x-secret-key': nhn.trust.secret,
        ...(body === undefined ? {} : { 'content-type': 'application/json;charset=UTF-8' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? {} : JSON.parse(text) };
  }
  const recipient = (overrides: Record<string, unknown> = {}) => ({
    recipientNo: phoneNumber(),
    templateParameter: { name: 'a', invoice: 'b' },
    resendParameter: { isResend: false },
    recipientGroupingKey: crypto.randomUUID(),
    ...overrides,
  });
  const send = (
    recipients: unknown[],
    extra: Record<string, unknown> = {},
    headers?: Record<string, string>,
  ) =>
    call(
      'POST',
      '/messages',
      { senderKey: nhn.senderKey, templateCode: TEMPLATE_CODE, recipientList: recipients, ...extra },
      headers,
    );
  const codeOf = (answer: Answer) => answer.body.header?.resultCode;

  it("checks the appkey in the path, then the secret key, as NHN's -1000 and -1001", async () => {
    assert.equal(codeOf(await call('POST', '/messages', {}, {}, 'wrong-appkey')), -1000);
    assert.equal(codeOf(await call('POST', '/messages', {}, { 'x-secret-key': 'wrong' })), -1001);
    const noSecret = await fetch(`${nhn.baseUrl}/alimtalk/v2.3/appkeys/${nhn.trust.accountId}/messages`, {
      method: 'POST',
    });
    assert.equal(((await noSecret.json()) as Answer['body']).header?.resultCode, -1001);
  });

  it('takes JSON bodies only, and answers unknown APIs 404 -9998', async () => {
    assert.equal(codeOf(await call('POST', '/messages', 'x', { 'content-type': 'text/plain' })), -9996);
    const unknown = await call('GET', '/nothing-here');
    assert.deepEqual([unknown.status, codeOf(unknown)], [404, -9998]);
  });

  it('refuses a bad call whole: empty or over 1,000 recipients, unknown sender key or template', async () => {
    assert.equal(codeOf(await send([])), -2001);
    assert.equal(codeOf(await send(Array.from({ length: 1_001 }, () => recipient()))), -2005);
    assert.equal(codeOf(await send([recipient()], { senderKey: 'k'.repeat(41) })), -2000);
    assert.equal(codeOf(await send([recipient()], { senderKey: 'unknown-sender' })), -2017);
    assert.equal(codeOf(await send([recipient()], { templateCode: 'NO_SUCH' })), -3003);
    nhn.sim.text.kakaoSenders.set(VENDOR_ID, null);
    assert.equal(
      codeOf(await send([recipient()], { senderKey: 'other-sender' })),
      -3003,
      'the template is of another key',
    );
  });

  it("answers each recipient on its own: the number, NHN's fallback asked for, buttons not in the template", async () => {
    const ok = recipient({ buttons: [{ ordering: 1 }] });
    const answer = await send([
      recipient({ recipientNo: '010-1234' }),
      ok,
      recipient({ resendParameter: { isResend: true, resendType: 'SMS' } }),
      recipient({ buttons: [{ ordering: 2 }] }),
    ]);
    assert.deepEqual([answer.status, codeOf(answer)], [200, 0]);
    const results = answer.body.message!.sendResults!;
    assert.deepEqual(
      results.map((result) => [result.recipientSeq, result.resultCode]),
      [
        [1, -4019],
        [2, 0],
        [3, -2502],
        [4, -3033],
      ],
    );
    assert.equal(nhn.sim.countFor(VENDOR_ID, ok.recipientGroupingKey), 1);
    assert.equal(nhn.sim.stats().vendors[VENDOR_ID]?.received, 1);
  });

  it('answers -1031 with the reasons when every recipient failed', async () => {
    const answer = await send([recipient({ recipientNo: 'x' })]);
    assert.deepEqual([codeOf(answer), answer.body.message!.sendResults![0]!.resultCode], [-1031, -4019]);
  });

  it("records each accepted recipient's Kakao outcome for the look-up", async () => {
    const delivered = recipient();
    const notKakao = recipient();
    nhn.sim.text.kakao.mark([notKakao.recipientNo], '3019');
    const missingVariable = recipient({ templateParameter: { name: 'a' } });
    const answer = await send([delivered, notKakao, missingVariable]);
    const requestId = answer.body.message!.requestId!;
    const looked = await Promise.all([1, 2, 3].map((seq) => call('GET', `/messages/${requestId}/${seq}`)));
    assert.deepEqual(
      looked.map(({ body }) => [
        body.message!.messageStatus,
        body.message!.resultCode,
        body.message!.recipientNo,
      ]),
      [
        ['COMPLETED', '1000', delivered.recipientNo],
        ['FAILED', '3019', notKakao.recipientNo],
        ['FAILED', '3016', missingVariable.recipientNo],
      ],
    );
    assert.equal(looked[0]!.body.message!.content, 'a님, 주문하신 상품이 발송되었습니다. 송장번호 b');
  });

  it('answers READY until the result is known, and -1016 for a message it never took', async () => {
    nhn.sim.text.results.resultDelayMs = 3_600_000;
    const answer = await send([recipient()]);
    const looked = await call('GET', `/messages/${answer.body.message!.requestId}/1`);
    assert.deepEqual([looked.body.message!.messageStatus, looked.body.message!.resultCode], ['READY', null]);
    assert.equal(codeOf(await call('GET', '/messages/nope/1')), -1016);
  });

  it('renders outages and throttling the way NHN fails', async () => {
    nhn.sim.setBehaviour(VENDOR_ID, { errorShare: 1, errors: [{ status: 500, code: '-9999', weight: 1 }] });
    const systemError = await send([recipient()]);
    assert.deepEqual([systemError.status, codeOf(systemError)], [500, -9999]);
    nhn.sim.setBehaviour(VENDOR_ID, { errorShare: 0, rateLimitPerSecond: 1 });
    await send([recipient()]);
    const throttled = await send([recipient()]);
    assert.equal(throttled.status, 429);
  });

  it('replays a repeated X-NC-API-IDEMPOTENCY-KEY with the same request id, delivering once', async () => {
    const only = recipient();
    const headers = { 'x-nc-api-idempotency-key': 'idem-1' };
    const first = await send([only], {}, headers);
    const again = await send([only], {}, headers);
    assert.equal(again.body.message!.requestId, first.body.message!.requestId);
    assert.equal(nhn.sim.countFor(VENDOR_ID, only.recipientGroupingKey), 1);
  });

  it('lists templates by status code and pages', async () => {
    nhn.sim.text.templates.put(VENDOR_ID, {
      code: 'R',
      name: 'r',
      senderId: nhn.senderKey,
      body: 'b',
      buttons: [],
      state: 'requested',
    });
    const approved = await call('GET', `/senders/${nhn.senderKey}/templates?templateStatus=TSC03`);
    const listed = approved.body.templateListResponse as {
      templates: { templateCode: string; status: string }[];
      totalCount: number;
    };
    assert.deepEqual(
      [listed.templates.map((t) => [t.templateCode, t.status]), listed.totalCount],
      [[[TEMPLATE_CODE, 'TSC03']], 1],
    );
    const paged = await call('GET', `/senders/${nhn.senderKey}/templates?pageNum=2&pageSize=1`);
    assert.deepEqual(
      (paged.body.templateListResponse as typeof listed).templates.map((t) => t.templateCode),
      ['R'],
    );
  });

  it('modifies only an approved or rejected template (-3012), and refuses a second registration (-3001)', async () => {
    nhn.sim.text.templates.put(VENDOR_ID, {
      code: 'R',
      name: 'r',
      senderId: nhn.senderKey,
      body: 'b',
      buttons: [],
      state: 'requested',
    });
    const body = { templateCode: 'R', templateName: 'r', templateContent: 'new' };
    assert.equal(codeOf(await call('PUT', `/senders/${nhn.senderKey}/templates/R`, body)), -3012);
    assert.equal(codeOf(await call('POST', `/senders/${nhn.senderKey}/templates`, body)), -3001);
    assert.equal(codeOf(await call('PUT', `/senders/${nhn.senderKey}/templates/NONE`, body)), -3003);
  });
});
