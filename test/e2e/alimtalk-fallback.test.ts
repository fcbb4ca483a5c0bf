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
import { DEFAULT_ALIMTALK_VENDORS, registerApprovedTemplateOverHttp } from '../support/templates.ts';

const productionSkip = await productionEnginesSkip();
const TEMPLATE = 'ORDER_SHIPPED_FB';
const BODY = '#{name}님, 주문하신 상품이 출발했습니다.';
const SMS_VENDORS = ['nhn-sms', 'sens-sms', 'solapi-sms'];

type Entry = {
  messageId: string;
  status: string;
  vendor?: string;
  fallback?: { messageId: string; status: string };
};

/**
 * 대체발송 end to end, through the API and the default config: AlimTalk over the three real AlimTalk
 * adapters (nhn, sens, solapi at 50/30/20), Kakao's results read back by each vendor's look-up,
 * and the fallback SMS routed over the three real SMS adapters. The client is the bootstrap key's,
 * with the development sender number and Kakao channel herald registers while simulators run;
 * its template is approved at every AlimTalk vendor, in herald and at each simulated vendor.
 */
function describeFallback(engines: string, env: () => Record<string, string>, skip: string | false) {
  describe(`AlimTalk -> SMS fallback, each once (${engines})`, { skip }, () => {
    let h: TestHerald;
    const sim = () => h.herald.fleet.simulator!;

    before(async () => {
      h = await startTestHerald(env());
    });
    after(() => h?.stop());

    /** The template at each simulated vendor, under the development channel's id there. */
    async function registerAtVendors(): Promise<void> {
      const channels = (await h.call('GET', '/v1/kakao-channels')).body.channels as {
        senderIds: Record<string, string>;
      }[];
      for (const vendorId of DEFAULT_ALIMTALK_VENDORS) {
        sim().text.templates.put(vendorId, {
          code: TEMPLATE,
          name: '출발 안내',
          senderId: channels[0]!.senderIds[vendorId]!,
          body: BODY,
          buttons: [],
          state: 'approved',
        });
      }
    }

    it('100 recipients, 20 not on KakaoTalk: 80 delivered, 20 undelivered with 20 fallback SMS sent', async () => {
      const clientId = (await h.call('GET', '/v1/sender-numbers')).body.clientId as string;
      await registerApprovedTemplateOverHttp((method, path, body) => h.call(method, path, body), {
        clientId,
        code: TEMPLATE,
        body: BODY,
        fallbackBody: '#{name}님 상품 출발',
      });
      await registerAtVendors();
      const numbers = phoneNumbers(100, 5_000_000 + Math.floor(Math.random() * 1_000_000));
      sim().text.kakao.mark(numbers.slice(80), '3019');
      const accepted = await h.call('POST', '/v1/messages', {
        channel: 'alimtalk',
        lane: 'realtime',
        template: { code: TEMPLATE, vars: { name: '김민수' } },
        recipients: numbers.map((to) => ({ to })),
      });
      assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
      const ids = (accepted.body.messages as { messageId: string }[]).map((m) => m.messageId);

      const view = await waitFor(
        async () => {
          const entries: Entry[] =
            (await h.call('GET', `/v1/requests/${accepted.body.requestId}`)).body?.messages ?? [];
          const done =
            entries.length === 100 &&
            entries.every(
              (m) =>
                m.status === 'delivered' ||
                (m.status === 'undelivered' && VENDOR_ACCEPTED.includes(m.fallback?.status ?? '')),
            );
          return done ? entries : undefined;
        },
        60_000,
        'every AlimTalk delivered, or undelivered with its fallback sent',
      );
      const delivered = view.filter((m) => m.status === 'delivered');
      const undelivered = view.filter((m) => m.status === 'undelivered');
      assert.equal(delivered.length, 80);
      assert.deepEqual(
        undelivered.map((m) => m.messageId).sort(),
        ids.slice(80).sort(),
        'the 20 who are not KakaoTalk users',
      );
      const deliveries = (vendors: readonly string[], messageId: string) =>
        vendors.reduce((n, vendorId) => n + sim().countFor(vendorId, messageId), 0);
      for (const entry of view) assert.equal(deliveries(DEFAULT_ALIMTALK_VENDORS, entry.messageId), 1);
      for (const entry of undelivered) assert.equal(deliveries(SMS_VENDORS, entry.fallback!.messageId), 1);
      for (const entry of delivered) assert.equal(entry.fallback, undefined);

      const alimtalk = (await h.call('GET', `/v1/messages/${undelivered[0]!.messageId}`)).body;
      assert.equal(alimtalk.status, 'undelivered');
      assert.equal(alimtalk.error.code, 'HERALD_KAKAO_UNDELIVERED');
      assert.deepEqual(
        alimtalk.events.map((e: { status: string }) => e.status),
        ['accepted', 'queued', 'sending', 'sent', 'undelivered'],
      );
      assert.equal(alimtalk.fallback.messageId, undelivered[0]!.fallback!.messageId);
      assert.equal(alimtalk.fallback.channel, 'sms');
      assert.equal(alimtalk.fallback.status, 'sent');
      assert.ok(SMS_VENDORS.includes(alimtalk.fallback.vendor), alimtalk.fallback.vendor);
      const sms = (await h.call('GET', `/v1/messages/${alimtalk.fallback.messageId}`)).body;
      assert.equal(sms.channel, 'sms');
      assert.equal(sms.fallbackOf, alimtalk.messageId);
      assert.equal(sms.status, 'sent');
      assert.equal(sms.recipient, alimtalk.recipient);
      const kakao = (await h.call('GET', `/v1/messages/${delivered[0]!.messageId}`)).body;
      assert.equal(kakao.status, 'delivered');
      assert.ok(DEFAULT_ALIMTALK_VENDORS.includes(kakao.vendor), kakao.vendor);
    });
  });
}

describeFallback('embedded default', () => ({}), false);

const namespace = uniqueNamespace('fallback');
describeFallback(
  'production engines',
  () => productionEnv(namespace, { HERALD_SIMULATOR_LATENCY_MS: '1' }),
  productionSkip,
);
after(() => dropSchema(`herald_${namespace}`));
