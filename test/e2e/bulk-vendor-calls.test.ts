import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dropSchema } from '../adapters/postgres/postgres-test-schema.ts';
import { productionEnginesSkip } from '../support/engines.ts';
import {
  phoneNumbers,
  startTestHerald,
  type TestHerald,
  VENDOR_ACCEPTED,
  waitFor,
} from '../support/herald-harness.ts';
import { productionEnv, uniqueNamespace } from '../support/production-env.ts';

const productionSkip = await productionEnginesSkip();
const SMS_VENDORS = ['nhn-sms', 'sens-sms', 'solapi-sms'] as const;
const BODY = '[헤럴드] 12월 정기 점검 안내: 12/3 02:00-04:00';

/**
 * Bulk vendor calls end to end, through the API, the default config and the three real SMS
 * adapters at the simulator: the batch lane carries many messages per call (the simulated vendors
 * count the calls), every message is still delivered once and ends `sent` in its own history;
 * the realtime lane still makes one call per message.
 */
function describeBulk(engines: string, env: () => Record<string, string>, skip: string | false) {
  describe(`bulk vendor calls on the batch lane (${engines})`, { skip }, () => {
    let h: TestHerald;
    const sim = () => h.herald.fleet.simulator!;
    const calls = () =>
      SMS_VENDORS.reduce((n, vendorId) => n + (sim().stats().vendors[vendorId]?.calls ?? 0), 0);
    const deliveries = (messageId: string) =>
      SMS_VENDORS.reduce((n, vendorId) => n + sim().countFor(vendorId, messageId), 0);

    before(async () => {
      h = await startTestHerald(env());
    });
    after(() => h?.stop());

    async function send(lane: 'realtime' | 'batch', requests: number, offset: number): Promise<string[]> {
      const ids: string[] = [];
      for (let r = 0; r < requests; r++) {
        const accepted = await h.call('POST', '/v1/messages', {
          channel: 'sms',
          lane,
          content: { body: BODY },
          recipients: phoneNumbers(100, offset + r * 100).map((to) => ({ to })),
        });
        assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
        ids.push(...(accepted.body.messages as { messageId: string }[]).map((m) => m.messageId));
      }
      await waitFor(
        async () => (ids.every((id) => deliveries(id) > 0) ? true : undefined),
        60_000,
        `the ${lane} messages delivered`,
      );
      return ids;
    }

    it('realtime: one call per message', async () => {
      const before = calls();
      const ids = await send('realtime', 1, 8_100_000 + Math.floor(Math.random() * 100_000));
      assert.equal(calls() - before, ids.length);
    });

    it('batch: 500 messages of one content in a few calls, each delivered once and sent in history', async () => {
      const before = calls();
      const ids = await send('batch', 5, 8_300_000 + Math.floor(Math.random() * 100_000));
      const made = calls() - before;
      assert.ok(made * 5 <= ids.length, `${made} vendor calls for ${ids.length} messages`);
      for (const id of ids) assert.equal(deliveries(id), 1, `${id} delivered once`);
      const sample = [ids[0]!, ids[250]!, ids[499]!];
      for (const id of sample) {
        const view = await waitFor(
          async () => {
            const message = (await h.call('GET', `/v1/messages/${id}`)).body;
            return VENDOR_ACCEPTED.includes(message?.status) ? message : undefined;
          },
          30_000,
          `${id} sent in history`,
        );
        assert.ok(SMS_VENDORS.includes(view.vendor), view.vendor);
      }
    });
  });
}

describeBulk('embedded default', () => ({}), false);

const namespace = uniqueNamespace('bulk');
describeBulk('production engines', () => productionEnv(namespace), productionSkip);
after(() => dropSchema(`herald_${namespace}`));
