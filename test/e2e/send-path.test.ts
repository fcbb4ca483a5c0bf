import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  phoneNumbers,
  startTestHerald,
  type TestHerald,
  VENDOR_ACCEPTED,
  waitFor,
  waitForRequest,
} from '../support/herald-harness.ts';
import { SMS_VENDORS } from '../support/sim-totals.ts';
import { registerApprovedTemplateOverHttp } from '../support/templates.ts';

/** The whole send path on the embedded default: API -> transport -> lanes -> dedup -> router -> simulator -> history. */
describe('send path, end to end (embedded default)', () => {
  let h: TestHerald;
  before(async () => {
    h = await startTestHerald();
  });
  after(() => h.stop());

  const smsRequest = (recipients: string[], body = 'hello #{name}') => ({
    channel: 'sms',
    lane: 'realtime',
    content: { body },
    recipients: recipients.map((to, i) => ({ to, vars: { name: `n${i}` } })),
  });

  const simReceived = async () => {
    const stats = (await h.call('GET', '/_sim/stats')).body.vendors as Record<string, { received: number }>;
    return Object.entries(stats)
      .filter(([id]) => (SMS_VENDORS as readonly string[]).includes(id))
      .reduce((n, [, v]) => n + v.received, 0);
  };

  it('delivers 100 SMS recipients once each and shows 100 sent', async () => {
    const before = await simReceived();
    const accepted = await h.call('POST', '/v1/messages', smsRequest(phoneNumbers(100)));
    assert.equal(accepted.status, 202);
    assert.equal(accepted.body.messages.length, 100);
    const view = await waitForRequest(h, accepted.body.requestId);
    assert.equal(
      view.messages.filter((m: { status: string }) => VENDOR_ACCEPTED.includes(m.status)).length,
      100,
    );
    assert.ok(
      view.messages.every(
        (m: { vendor: string; attempts: number }) =>
          (SMS_VENDORS as readonly string[]).includes(m.vendor) && m.attempts === 1,
      ),
    );
    assert.equal((await simReceived()) - before, 100);
    // The API timed the request's stages (herald_accept_stage_seconds), kept apart by its size.
    const metrics = await fetch(`${h.url}/metrics`).then((response) => response.text());
    for (const stage of ['checks', 'dedup', 'queue']) {
      const count = new RegExp(
        `^herald_accept_stage_seconds_count\\{stage="${stage}",recipients="11-100"\\} (\\d+)$`,
        'm',
      );
      assert.ok(Number(count.exec(metrics)?.[1]) >= 1, `stage ${stage} of a 100-recipient accept timed`);
    }
  });

  it('sends the same text to the same numbers twice for two requests without a key', async () => {
    const body = smsRequest(phoneNumbers(10, 300), 'your order is on its way #{name}');
    const before = await simReceived();
    const first = await h.call('POST', '/v1/messages', body);
    const second = await h.call('POST', '/v1/messages', body);
    assert.deepEqual([first.body.accepted, second.body.accepted], [10, 10]);
    for (const accepted of [first, second]) {
      const view = await waitForRequest(h, accepted.body.requestId);
      assert.ok(view.messages.every((m: { status: string }) => VENDOR_ACCEPTED.includes(m.status)));
    }
    assert.equal((await simReceived()) - before, 20);
  });

  it('answers a retry with the same Idempotency-Key and body with the first 202, and sends once', async () => {
    const body = smsRequest(phoneNumbers(10, 500));
    const headers = { 'idempotency-key': 'order-4711' };
    const before = await simReceived();
    const first = await h.call('POST', '/v1/messages', body, headers);
    await waitForRequest(h, first.body.requestId);
    const second = await h.call('POST', '/v1/messages', body, headers);
    assert.equal(second.status, 202);
    assert.deepEqual(second.body, first.body);
    assert.equal(second.headers.get('idempotent-replayed'), 'true');
    const other = await h.call('POST', '/v1/messages', { ...body, lane: 'batch' }, headers);
    assert.equal(other.status, 422);
    assert.equal(other.body.error.code, 'HERALD_IDEMPOTENCY_KEY_REUSED');
    // A request sent after the replay, on the same lane, is delivered: anything the replay had
    // queued before it would have been delivered by now too.
    const barrier = await h.call('POST', '/v1/messages', smsRequest(phoneNumbers(1, 590)));
    await waitForRequest(h, barrier.body.requestId);
    assert.equal((await simReceived()) - before, 11, 'ten for the first request, one for the barrier');
  });

  it('records every state change of a message in its history', async () => {
    const accepted = await h.call('POST', '/v1/messages', smsRequest(phoneNumbers(1, 900)));
    await waitForRequest(h, accepted.body.requestId);
    const message = await h.call('GET', `/v1/messages/${accepted.body.messages[0].messageId}`);
    const statuses = message.body.events.map((e: { status: string }) => e.status);
    assert.deepEqual(statuses, ['accepted', 'queued', 'sending', 'sent']);
    const sent = message.body.events.at(-1);
    assert.match(sent.vendor, /^(nhn|sens|solapi)-sms$/);
    assert.equal(typeof sent.latencyMs, 'number');
    assert.equal(message.body.recipient.includes('10000900'), false, 'recipient is stored masked');
  });

  it('renders an AlimTalk template in the metadata step and delivers through a Kakao vendor', async () => {
    // The bootstrap key's client, approved at the vendors the default config routes AlimTalk to.
    await registerApprovedTemplateOverHttp(h.call, {
      clientId: 'default',
      code: 'ORDER_SHIPPED',
      body: '#{name}님, 주문하신 상품이 발송되었습니다. 송장번호 #{invoice}',
      buttons: [{ type: 'WL', name: '배송 조회', linkMobile: 'https://example.com/track' }],
    });
    const accepted = await h.call('POST', '/v1/messages', {
      channel: 'alimtalk',
      lane: 'realtime',
      template: { code: 'ORDER_SHIPPED' },
      recipients: [
        { to: '01055550001', vars: { name: '김민수', invoice: '1234' } },
        { to: '01055550002', vars: { name: '이영희' } },
      ],
    });
    assert.equal(accepted.status, 202);
    assert.equal(accepted.body.messages[1].error.code, 'HERALD_MISSING_VARIABLE');
    const view = await waitForRequest(h, accepted.body.requestId);
    assert.equal(view.messages.length, 2);
    assert.equal(view.messages[0].status, 'sent', JSON.stringify(view.messages[0]));
    assert.match(view.messages[0].vendor, /^(nhn|sens|solapi)-alimtalk$/);
    assert.deepEqual(view.messages[1], accepted.body.messages[1], 'the refused recipient, as the 202 said');
  });

  it('sends a VMS through solapi-vms, SOLAPI voice message at the simulator, and shows it sent', async () => {
    const received = async () =>
      ((await h.call('GET', '/_sim/stats')).body.vendors['solapi-vms']?.received as number | undefined) ?? 0;
    const before = await received();
    const accepted = await h.call('POST', '/v1/messages', {
      channel: 'vms',
      lane: 'realtime',
      content: { body: '#{name}님, 주문하신 상품이 내일 도착합니다. 변경하시려면 1번을 눌러 주세요.' },
      vms: {
        voiceType: 'female',
        headerMessage: '헤럴드에서 알려 드립니다',
        tailMessage: '감사합니다',
        replyRange: 1,
      },
      recipients: [{ to: '01055560001', vars: { name: '김민수' } }],
    });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    const view = await waitForRequest(h, accepted.body.requestId);
    assert.equal(view.messages[0].status, 'sent', JSON.stringify(view.messages[0]));
    assert.equal(view.messages[0].vendor, 'solapi-vms');
    assert.equal((await received()) - before, 1, 'the simulator counted one VOICE message under solapi-vms');
  });

  it('applies a kill switch from PUT /admin/config within a second, without restart', async () => {
    const current = await h.call('GET', '/admin/config');
    const document = structuredClone(current.body.document);
    document.routing.sms = [
      { vendor: 'nhn-sms', weight: 0 },
      { vendor: 'sens-sms', weight: 0 },
      { vendor: 'solapi-sms', weight: 100 },
    ];
    const put = await h.call('PUT', '/admin/config', document, { 'if-match': String(current.body.version) });
    assert.equal(put.status, 200);
    await waitFor(async () => h.herald.config.version === put.body.version, 1_000, 'config applied');
    const accepted = await h.call('POST', '/v1/messages', smsRequest(phoneNumbers(30, 1000)));
    const view = await waitForRequest(h, accepted.body.requestId);
    assert.ok(view.messages.every((m: { vendor: string }) => m.vendor === 'solapi-sms'));
  });
});
