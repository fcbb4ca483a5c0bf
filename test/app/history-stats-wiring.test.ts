import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { phoneNumbers, startTestHerald, type TestHerald, waitForRequest } from '../support/herald-harness.ts';
import { SMS_VENDORS } from '../support/sim-totals.ts';

/** herald wires GET /admin/stats to the history its workers write (embedded default). */
describe('GET /admin/stats on a running herald', () => {
  let h: TestHerald;
  before(async () => {
    h = await startTestHerald();
  });
  after(() => h.stop());

  it('counts the messages just sent, per vendor that sent them', async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    const accepted = await h.call('POST', '/v1/messages', {
      channel: 'sms',
      lane: 'realtime',
      content: { body: 'stats' },
      recipients: phoneNumbers(5, 700).map((to) => ({ to })),
    });
    assert.equal(accepted.status, 202);
    await waitForRequest(h, accepted.body.requestId);
    const to = new Date(Date.now() + 60_000).toISOString();
    const stats = await h.call('GET', `/admin/stats?from=${from}&to=${to}&channel=sms`);
    assert.equal(stats.status, 200);
    assert.equal(stats.body.totals.total, 5);
    assert.equal(stats.body.totals.statuses.sent, 5);
    assert.equal(stats.body.totals.sendLatencyMs.count, 5);
    for (const group of stats.body.groups) {
      assert.ok((SMS_VENDORS as readonly string[]).includes(group.key), `${group.key} is an SMS vendor`);
    }
  });
});
