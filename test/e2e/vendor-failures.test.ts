import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  phoneNumbers,
  startTestHerald,
  type TestHerald,
  VENDOR_ACCEPTED,
  waitFor,
  waitForRequest,
} from '../support/herald-harness.ts';

/** What a failing vendor does to messages: time limit, retry, failover, expiry, permanent failure. */
describe('vendor failures, end to end (embedded default)', () => {
  let h: TestHerald;
  let baseVersion: number;
  before(async () => {
    h = await startTestHerald();
    const current = await h.call('GET', '/admin/config');
    const document = structuredClone(current.body.document);
    for (const id of Object.keys(document.vendors)) {
      // The shortest time limit and retry delays the remote config allows, so hangs resolve quickly.
      document.vendors[id] = { timeoutMs: 1_000, breakerThreshold: 1_000, breakerHalfOpenAfterMs: 1_000 };
    }
    document.retry = { baseDelayMs: 100, maxDelayMs: 200, maxAttempts: 20 };
    const put = await h.call('PUT', '/admin/config', document);
    assert.equal(put.status, 200);
    baseVersion = put.body.version;
    await waitFor(async () => h.herald.config.version >= baseVersion, 2_000, 'config applied');
  });
  after(() => h.stop());
  beforeEach(() => h.herald.fleet.simulator!.reset());

  const sim = () => h.herald.fleet.simulator!;
  const send = (recipients: string[], extra: Record<string, unknown> = {}) =>
    h.call('POST', '/v1/messages', {
      channel: 'sms',
      lane: 'batch',
      content: { body: 'failover test' },
      recipients: recipients.map((to) => ({ to })),
      ...extra,
    });

  it('times out a hanging vendor, retries, and delivers through another vendor while the lane keeps polling', async () => {
    sim().setBehaviour('nhn-sms', { hangShare: 1 });
    const accepted = await send(phoneNumbers(40, 2000));
    assert.equal(accepted.status, 202);
    const polls: number[] = [];
    const view = await waitForRequest(
      h,
      accepted.body.requestId,
      [...VENDOR_ACCEPTED, 'failed', 'expired'],
      30_000,
    ).finally(() => {
      polls.push(h.herald.lanes.find((lane) => lane.lane === 'batch')!.lastPollAt);
    });
    assert.ok(view.messages.every((m: { status: string }) => VENDOR_ACCEPTED.includes(m.status)));
    assert.ok(view.messages.every((m: { vendor: string }) => m.vendor !== 'nhn-sms'));
    const retried = view.messages.filter((m: { attempts: number }) => m.attempts > 1);
    assert.ok(retried.length > 0, 'some messages were first routed to the hanging vendor');
    const history = await h.call('GET', `/v1/messages/${retried[0].messageId}`);
    const timeouts = history.body.events.filter((e: { status: string }) => e.status === 'retrying');
    assert.ok(timeouts.length > 0);
    assert.ok(timeouts.every((e: { errorCode: string }) => e.errorCode === 'HERALD_VENDOR_TIMEOUT'));
    assert.ok(
      timeouts.some((e: { vendor: string }) => e.vendor === 'nhn-sms'),
      'the hanging vendor timed out',
    );
    assert.ok(Date.now() - polls[0]! < 2_000, 'the batch lane kept polling while calls hung');
  });

  it('ends messages as expired when every vendor hangs until their expiry', async () => {
    for (const id of ['nhn-sms', 'sens-sms', 'solapi-sms']) sim().setBehaviour(id, { hangShare: 1 });
    const accepted = await send(phoneNumbers(5, 3000), { expiresInSeconds: 2 });
    const view = await waitForRequest(h, accepted.body.requestId, ['sent', 'failed', 'expired'], 20_000);
    assert.ok(view.messages.every((m: { status: string }) => m.status === 'expired'));
    assert.ok(view.messages.every((m: { error: { code: string } }) => m.error.code === 'HERALD_EXPIRED'));
    assert.equal(sim().stats().vendors['nhn-sms']?.received ?? 0, 0);
  });

  it('ends a permanent vendor rejection as failed with the vendor code, without retry', async () => {
    // Each vendor's own refusal of a recipient: NHN -2019 (invalid number), SENS 400, SOLAPI 1060.
    const refusals: Record<string, string> = { 'nhn-sms': '-2019', 'sens-sms': '400', 'solapi-sms': '1060' };
    for (const [id, code] of Object.entries(refusals)) {
      sim().setBehaviour(id, { errorShare: 1, errors: [{ status: 400, code, weight: 1 }] });
    }
    const accepted = await send(phoneNumbers(3, 4000));
    const view = await waitForRequest(h, accepted.body.requestId, ['sent', 'failed', 'expired'], 20_000);
    for (const message of view.messages) {
      assert.equal(message.status, 'failed');
      assert.equal(message.attempts, 1);
      assert.ok(
        ['HERALD_RECIPIENT_INVALID', 'HERALD_VENDOR_REJECTED'].includes(message.error.code),
        message.error.code,
      );
      assert.ok(message.error.message.includes(`[${refusals[message.vendor]}]`), message.error.message);
    }
  });
});
