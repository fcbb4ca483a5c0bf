import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { scheduleQueue } from '../../src/core/pipeline/schedule-queues.ts';
import { dropSchema } from '../adapters/postgres/postgres-test-schema.ts';
import { productionEnginesSkip } from '../support/engines.ts';
import {
  phoneNumbers,
  startTestHerald,
  type TestHerald,
  waitFor,
  waitForRequest,
} from '../support/herald-harness.ts';
import { productionEnv, uniqueNamespace } from '../support/production-env.ts';
import { SMS_VENDORS } from '../support/sim-totals.ts';

// Asked before any test starts, so a busy embedded run cannot starve the probe.
const productionSkip = await productionEnginesSkip();
const HOUR_MS = 3_600_000;
const KST_OFFSET_MS = 9 * HOUR_MS;

/** The latest 23:00 KST before `now`: an ad accepted then waits for 08:00, nine hours on. */
function lastNight(now: number): number {
  const kstMidnight = Math.floor((now + KST_OFFSET_MS) / (24 * HOUR_MS)) * 24 * HOUR_MS - KST_OFFSET_MS;
  const elevenPm = kstMidnight + 23 * HOUR_MS;
  return elevenPm <= now ? elevenPm : elevenPm - 24 * HOUR_MS;
}

/**
 * Item 3's last rule, through the API with the workers' clock stepped: an ad
 * accepted at 23:00 KST is deferred to 08:00; its recipient opts out during the night; at 08:00 the
 * ad is checked against the list again and never reaches a vendor, and its history says why. The
 * other recipient of the same request gets it. (The API keeps the real clock: the messages expire a
 * day after the real now, after the stepped 08:00.)
 */
function describeNightOptOut(engines: string, env: () => Record<string, string>, skip: string | false) {
  describe(`a deferred night ad whose recipient opts out during the night (${engines})`, { skip }, () => {
    const night = lastNight(Date.now());
    let clock = night;
    let h: TestHerald;
    before(async () => {
      h = await startTestHerald(env(), undefined, { now: () => clock });
    });
    after(() => h?.stop());

    const smsDeliveries = async () => {
      const stats = h.herald.fleet.simulator!.stats();
      return SMS_VENDORS.reduce((sum, id) => sum + stats.vendors[id]!.received, 0);
    };

    it('is not sent at 08:00, and GET /v1/requests/:id says it was refused for the opt-out', async () => {
      const [optsOutAtNight, staysIn] = phoneNumbers(2, 8_200) as [string, string];
      const accepted = await h.call('POST', '/v1/messages', {
        channel: 'sms',
        lane: 'ad',
        sender: { name: '헤럴드마트' },
        content: { body: '(광고) 헤럴드마트 아침 특가\n무료수신거부 080-888-0327' },
        recipients: [{ to: optsOutAtNight }, { to: staysIn }],
      });
      assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
      const requestId: string = accepted.body.requestId;
      await waitForRequest(h, requestId, ['deferred']);
      const nightQueue = scheduleQueue('ad', 'night-ad');
      await waitFor(
        async () => (await h.herald.stores.schedule!.count(nightQueue)) === 2,
        30_000,
        'both parked',
      );

      const optOut = await h.call('POST', '/v1/opt-outs', { channel: 'sms', to: optsOutAtNight });
      assert.equal(optOut.status, 200, JSON.stringify(optOut.body));
      clock = night + 9 * HOUR_MS; // 08:00 KST

      const view = await waitForRequest(h, requestId);
      const [refused, sent] = view.messages;
      assert.equal(sent.status, 'sent');
      assert.equal(refused.status, 'failed');
      assert.equal(refused.error?.code, 'HERALD_RECIPIENT_OPTED_OUT');
      assert.match(refused.error?.message, /opted out .* while this ad waited/);
      assert.equal(await smsDeliveries(), 1, 'only the recipient still in reached a vendor');
      const refusedCalls = SMS_VENDORS.map((id) => h.herald.fleet.simulator!.countFor(id, refused.messageId));
      assert.deepEqual(refusedCalls, [0, 0, 0], 'the refused ad reached no vendor');
      // The release writes history first and removes what it released from the schedule after.
      await waitFor(
        async () => (await h.herald.stores.schedule!.count(nightQueue)) === 0,
        30_000,
        'the released ads removed from the night queue',
      );
    });
  });
}

describeNightOptOut('embedded default', () => ({}), false);

const namespace = uniqueNamespace('night');
describeNightOptOut(
  'production engines',
  () => productionEnv(namespace, { HERALD_SIMULATOR_LATENCY_MS: '1' }),
  productionSkip,
);
after(() => dropSchema(`herald_${namespace}`));
