import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { installStrictJsonParser } from '../../src/api/json-body-parser.ts';
import { receiptWebhookRoutes } from '../../src/api/plugins/receipt-webhook-routes.ts';
import type { DeliveryReceipt } from '../../src/core/domain/delivery-receipt.ts';

const SECRET = 'solapi-webhook-secret-0123456789abcdef';

/**
 * The SOLAPI report route under buildApp's own JSON parser (installed at the root, inherited by
 * every plugin): the route's scoped parser must replace it, not collide with it. Registering both
 * once threw FST_ERR_CTP_ALREADY_PRESENT and stopped every herald from starting.
 */
describe('POST /v1/receipts/solapi inside an app with the strict JSON parser', () => {
  it('registers, and takes a report', async () => {
    const receipts: DeliveryReceipt[] = [];
    const app = Fastify();
    installStrictJsonParser(app, 1_048_576);
    await app.register(receiptWebhookRoutes, {
      prefix: '/v1',
      sink: { submit: async (given) => void receipts.push(...given) },
      solapi: [{ secret: SECRET, textVendor: 'solapi-sms', voiceVendor: 'solapi-vms' }],
    });
    await app.ready();
    try {
      const response = await app.inject({
        method: 'POST',
        url: `/v1/receipts/solapi?token=${SECRET}`,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify([
          { messageId: 'M4V1', type: 'SMS', statusCode: '4000', networkName: 'KT', dateReceived: null },
        ]),
      });
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(
        receipts.map((r) => [r.vendor, r.vendorMessageId, r.state, r.carrier]),
        [['solapi-sms', 'M4V1', 'delivered', 'KT']],
      );
    } finally {
      await app.close();
    }
  });
});
