import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { phoneNumbers, startTestHerald, type TestHerald, waitFor } from '../support/herald-harness.ts';
import { figuresTable, receiptTotal, simulatorFigures, statsFigures } from '../support/receipt-figures.ts';
import { SMS_VENDORS } from '../support/sim-totals.ts';
import { DEFAULT_ALIMTALK_VENDORS, registerApprovedTemplateOverHttp } from '../support/templates.ts';

const TEMPLATE = 'RECEIPTS_DONE_WHEN';
const BODY = '#{name}님, 주문하신 상품이 도착했습니다.';
const FINAL = ['delivered', 'undelivered'];

type Entry = { messageId: string; status: string; fallback?: { messageId: string; status: string } };

/**
 * Issue 11's done-when, at test size on the embedded default with the in-process simulators: SMS
 * and LMS spread over nhn-sms, sens-sms and solapi-sms by the default routing weights, plus
 * AlimTalk with a fallback, all end delivered or undelivered by receipt look-ups, and
 * GET /admin/stats counts per carrier and per vendor what the simulators say they reported.
 * (The 10,000-message run on the production engines is `npm run drill -- --only receipts`.)
 */
describe('receipts done-when: stats per carrier equal the simulators (embedded)', () => {
  let h: TestHerald;
  const startedAt = new Date(Date.now() - 60_000);
  const sim = () => h.herald.fleet.simulator!;

  before(async () => {
    h = await startTestHerald();
    // Results known shortly after acceptance, a fifth of them not delivered: both states show up.
    sim().text.results.resultDelayMs = 300;
    sim().text.results.mix = { ...sim().text.results.mix, undeliveredShare: 0.2 };
  });
  after(() => h?.stop());

  async function post(body: unknown): Promise<{ requestId: string; ids: string[] }> {
    const accepted = await h.call('POST', '/v1/messages', body);
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    return {
      requestId: accepted.body.requestId,
      ids: (accepted.body.messages as { messageId: string }[]).map((m) => m.messageId),
    };
  }

  /** Every message of the request with a delivery result (and each fallback, when there is one). */
  async function untilReceipted(requestId: string): Promise<Entry[]> {
    return waitFor(
      async () => {
        const entries: Entry[] = (await h.call('GET', `/v1/requests/${requestId}`)).body?.messages ?? [];
        const done =
          entries.length > 0 &&
          entries.every(
            (m) =>
              FINAL.includes(m.status) && (m.fallback === undefined || FINAL.includes(m.fallback.status)),
          );
        return done ? entries : undefined;
      },
      120_000,
      `request ${requestId} receipted`,
    );
  }

  async function registerTemplate(): Promise<void> {
    await registerApprovedTemplateOverHttp((method, path, body) => h.call(method, path, body), {
      clientId: (await h.call('GET', '/v1/sender-numbers')).body.clientId as string,
      code: TEMPLATE,
      body: BODY,
      fallbackBody: '#{name}님 상품 도착',
    });
    const channels = (await h.call('GET', '/v1/kakao-channels')).body.channels as {
      senderIds: Record<string, string>;
    }[];
    for (const vendorId of DEFAULT_ALIMTALK_VENDORS) {
      sim().text.templates.put(vendorId, {
        code: TEMPLATE,
        name: '도착 안내',
        senderId: channels[0]!.senderIds[vendorId]!,
        body: BODY,
        buttons: [],
        state: 'approved',
      });
    }
  }

  it('600 SMS, 50 LMS and 40 AlimTalk end receipted; stats per carrier and vendor equal the simulators', async () => {
    await registerTemplate();
    const requests: string[] = [];
    for (let r = 0; r < 6; r++) {
      const sent = await post({
        channel: 'sms',
        lane: r % 2 === 0 ? 'realtime' : 'batch',
        content: { body: `배송 안내 ${r}` },
        recipients: phoneNumbers(100, 7_000_000 + r * 100).map((to) => ({ to })),
      });
      requests.push(sent.requestId);
    }
    const lms = await post({
      channel: 'lms',
      lane: 'batch',
      content: { subject: '배송 안내', body: '주문하신 상품의 배송이 시작되었습니다. '.repeat(8) },
      recipients: phoneNumbers(50, 7_100_000).map((to) => ({ to })),
    });
    requests.push(lms.requestId);
    const kakaoNumbers = phoneNumbers(40, 7_200_000);
    sim().text.kakao.mark(kakaoNumbers.slice(25), '3019');
    const alimtalk = await post({
      channel: 'alimtalk',
      lane: 'realtime',
      template: { code: TEMPLATE, vars: { name: '김민수' } },
      recipients: kakaoNumbers.map((to) => ({ to })),
    });

    const views = [];
    for (const requestId of requests) views.push(...(await untilReceipted(requestId)));
    assert.equal(views.length, 650);
    const kakao = await untilReceipted(alimtalk.requestId);

    // The fallbacks: the 15 Kakao did not deliver got an SMS, and its own receipt shows on them.
    const fellBack = kakao.filter((m) => m.fallback !== undefined);
    assert.equal(fellBack.length, 15);
    assert.ok(fellBack.every((m) => m.status === 'undelivered'));
    const one = (await h.call('GET', `/v1/messages/${fellBack[0]!.messageId}`)).body;
    const fallbackSms = (await h.call('GET', `/v1/messages/${one.fallback.messageId}`)).body;
    assert.ok(FINAL.includes(one.fallback.status), JSON.stringify(one.fallback));
    assert.equal(one.fallback.status, fallbackSms.status, 'the view shows the fallback SMS’s own receipt');
    assert.ok(['SKT', 'KT', 'LGU+', 'MVNO'].includes(fallbackSms.carrier), fallbackSms.carrier);

    const window = { from: startedAt, to: new Date(Date.now() + 60_000), channels: ['sms', 'lms'] };
    const receipts = (await h.call('GET', '/_sim/stats')).body.receipts;
    const byCarrier = await statsFigures(h.call, { ...window, by: 'carrier' });
    const simByCarrier = simulatorFigures(receipts, SMS_VENDORS, 'carrier');
    const table = figuresTable(byCarrier, simByCarrier).join('\n');
    assert.deepEqual(byCarrier, simByCarrier, table);
    assert.equal(receiptTotal(byCarrier), 650 + 15, 'every SMS, LMS and fallback SMS has one receipt');
    assert.ok((byCarrier.undelivered.SKT ?? 0) > 0 && (byCarrier.delivered.KT ?? 0) > 0, table);
    const byVendor = await statsFigures(h.call, { ...window, by: 'vendor' });
    assert.deepEqual(byVendor, simulatorFigures(receipts, SMS_VENDORS, 'vendor'));
    assert.deepEqual(
      Object.keys(byVendor.delivered).sort(),
      [...SMS_VENDORS].sort(),
      'all three vendors used',
    );
  });
});
