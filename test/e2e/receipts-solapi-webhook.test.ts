import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { phoneNumbers, startTestHerald, type TestHerald, waitFor } from '../support/herald-harness.ts';

const SECRET = 'solapi-report-token-0123456789abcdef0123456789';
const MESSAGES = 60;

/**
 * SOLAPI's report webhook end to end on the embedded default: the SOLAPI simulator posts its
 * message reports to herald's /v1/receipts/solapi?token=<HERALD_SOLAPI_WEBHOOK_SECRET> (herald
 * points its in-process simulator there once it listens, as an operator sets SOLAPI's console), results
 * ready 300 ms after acceptance, well before the lane's first look-up (2 s after `sent`). Each
 * message is then receipted twice, by the webhook and by the look-up, and applied once.
 */
describe('SOLAPI report webhook to delivered, applied once with the look-up (embedded)', () => {
  let h: TestHerald;
  const sim = () => h.herald.fleet.simulator!;
  const metrics = () => h.herald.metrics;

  before(async () => {
    h = await startTestHerald({ HERALD_SOLAPI_WEBHOOK_SECRET: SECRET });
    sim().text.results.resultDelayMs = 300;
    sim().text.results.mix = { ...sim().text.results.mix, undeliveredShare: 0.1 };
    assert.equal(sim().text.webhooks.get('solapi-sms'), `${h.url}/v1/receipts/solapi?token=${SECRET}`);
    // Every SMS through solapi-sms (the kill switch on the other two).
    const current = await h.call('GET', '/admin/config');
    const document = structuredClone(current.body.document);
    document.routing.sms = [
      { vendor: 'nhn-sms', weight: 0 },
      { vendor: 'sens-sms', weight: 0 },
      { vendor: 'solapi-sms', weight: 100 },
    ];
    const put = await h.call('PUT', '/admin/config', document, { 'if-match': String(current.body.version) });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    await waitFor(async () => h.herald.config.version === put.body.version, 10_000, 'config applied');
  });
  after(() => h?.stop());

  it('SMS through solapi-sms end delivered/undelivered by webhook; the look-up’s repeat writes nothing', async () => {
    const accepted = await h.call('POST', '/v1/messages', {
      channel: 'sms',
      lane: 'realtime',
      content: { body: '배송이 시작되었습니다' },
      recipients: phoneNumbers(MESSAGES, 7_300_000).map((to) => ({ to })),
    });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    const ids = (accepted.body.messages as { messageId: string }[]).map((m) => m.messageId);

    const applied = (labels: Record<string, string>) =>
      metrics().count(metrics().receipts, { vendor: 'solapi-sms', ...labels });
    const duplicates = () => metrics().count(metrics().receiptsDuplicate, { vendor: 'solapi-sms' });
    // Every message receipted twice (its webhook report and its look-up): the first applied, the
    // repeat counted as a duplicate. The simulator's report once went out a tick before its last
    // result was known under load (CI on 18cd94a): test/simulators/solapi/solapi-webhook.test.ts.
    await waitFor(
      async () => (await applied({})) === MESSAGES && (await duplicates()) === MESSAGES,
      60_000,
      'every message receipted by webhook and by look-up',
    );
    assert.ok((await applied({ source: 'webhook' })) > 0, 'receipts applied from the webhook');
    assert.equal(
      (await applied({ source: 'webhook' })) + (await applied({ source: 'lookup' })),
      MESSAGES,
      'each message applied once, whichever came first',
    );

    const counts = sim().stats().receipts['solapi-sms']!;
    assert.equal(
      sim().text.results.tally.reported('solapi-sms'),
      MESSAGES,
      'the simulator reported each message once',
    );

    for (const id of ids) {
      const message = (await h.call('GET', `/v1/messages/${id}`)).body;
      const results = message.events.filter((e: { status: string }) =>
        ['delivered', 'undelivered'].includes(e.status),
      );
      assert.equal(
        results.length,
        1,
        `one delivery result event for ${id}: ${JSON.stringify(message.events)}`,
      );
      assert.equal(message.status, results[0].status);
      assert.ok(['SKT', 'KT', 'LGU+', 'MVNO'].includes(results[0].carrier), results[0].carrier);
      assert.equal(
        (counts[message.status as 'delivered' | 'undelivered'] as Record<string, number>)[
          results[0].carrier
        ]! > 0,
        true,
      );
    }
  });
});
