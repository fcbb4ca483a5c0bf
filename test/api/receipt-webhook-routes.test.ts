import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { installStrictJsonParser } from '../../src/api/json-body-parser.ts';
import { receiptWebhookRoutes } from '../../src/api/plugins/receipt-webhook-routes.ts';
import type { DeliveryReceipt, ReceiptSink } from '../../src/core/domain/delivery-receipt.ts';

const SECRET = 'solapi-webhook-secret-0123456789abcdef';
const NOW = Date.parse('2026-12-01T10:00:00Z');

/** A sink that keeps what it is given, or fails while `failing` is set. */
class CollectingSink implements ReceiptSink {
  readonly receipts: DeliveryReceipt[] = [];
  failing = false;

  async submit(receipts: readonly DeliveryReceipt[]): Promise<void> {
    if (this.failing) throw new Error('the receipts topic is down');
    this.receipts.push(...receipts);
  }
}

/** SOLAPI's report of one message, as its message list stores it. */
function report(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    messageId: 'M4V20261201100000ABCDEFGHIJKLMNO',
    groupId: 'G4V20261201100000ABCDEFGHIJKLMNO',
    type: 'SMS',
    to: '01012345678',
    from: '0212345678',
    status: 'COMPLETE',
    statusCode: '4000',
    reason: '발송 처리 완료',
    networkName: 'SKT',
    networkCode: '45005',
    dateReceived: '2026-12-01T09:59:58.000Z',
    dateReported: '2026-12-01T09:59:59.000Z',
    customFields: { heraldMessageId: 'm-1' },
    ...overrides,
  };
}

describe('POST /v1/receipts/solapi', () => {
  let app: FastifyInstance;
  let sink: CollectingSink;

  beforeEach(async () => {
    sink = new CollectingSink();
    app = Fastify();
    await app.register(receiptWebhookRoutes, {
      prefix: '/v1',
      sink,
      solapi: [{ secret: SECRET, textVendor: 'solapi-sms', voiceVendor: 'solapi-vms' }],
      now: () => NOW,
    });
    await app.ready();
  });
  afterEach(() => app.close());

  const post = (body: unknown, token: string | null = SECRET) =>
    app.inject({
      method: 'POST',
      url: `/v1/receipts/solapi${token === null ? '' : `?token=${encodeURIComponent(token)}`}`,
      headers: { 'content-type': 'application/json' },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('turns each final report into a receipt in the sink, and skips those still on their way', async () => {
    const response = await post([
      report(),
      report({
        messageId: 'M4V2',
        status: 'FAILED',
        statusCode: '3032',
        reason: '미가입자',
        networkName: 'MVNO',
        networkCode: null,
        dateReceived: null,
      }),
      report({ messageId: 'M4V3', status: 'SENDING', statusCode: '3000', reason: null }),
    ]);
    assert.equal(response.statusCode, 200);
    assert.deepEqual(sink.receipts, [
      {
        vendor: 'solapi-sms',
        vendorMessageId: 'M4V20261201100000ABCDEFGHIJKLMNO',
        state: 'delivered',
        at: Date.parse('2026-12-01T09:59:58.000Z'),
        code: '4000',
        message: '발송 처리 완료',
        carrier: 'SKT',
        source: 'webhook',
        receivedAt: NOW,
      },
      {
        vendor: 'solapi-sms',
        vendorMessageId: 'M4V2',
        state: 'undelivered',
        at: Date.parse('2026-12-01T09:59:59.000Z'),
        code: '3032',
        message: '미가입자',
        carrier: 'MVNO',
        source: 'webhook',
        receivedAt: NOW,
      },
    ]);
  });

  it('refuses a missing or wrong token with 401, and submits nothing', async () => {
    for (const token of [null, '', 'wrong', `${SECRET}x`]) {
      const response = await post([report()], token);
      assert.equal(response.statusCode, 401, String(token));
      assert.equal(response.json().error.code, 'HERALD_UNAUTHORIZED');
    }
    assert.equal(sink.receipts.length, 0);
  });

  it('refuses a malformed body with 400 and a stable code', async () => {
    const cases: [unknown, string][] = [
      ['{not json', 'HERALD_INVALID_JSON'],
      [{ messageId: 'M4V1', statusCode: '4000' }, 'HERALD_VALIDATION_FAILED'],
      [[report({ messageId: 42 })], 'HERALD_VALIDATION_FAILED'],
      [[report({ statusCode: 'done' })], 'HERALD_VALIDATION_FAILED'],
      [[report({ networkName: 7 })], 'HERALD_VALIDATION_FAILED'],
    ];
    for (const [body, code] of cases) {
      const response = await post(body);
      assert.equal(response.statusCode, 400, JSON.stringify(body));
      assert.equal(response.json().error.code, code);
    }
    assert.equal(sink.receipts.length, 0);
  });

  it('answers 503 when the sink fails, so SOLAPI calls again, and 200 once it takes them', async () => {
    sink.failing = true;
    const refused = await post([report()]);
    assert.equal(refused.statusCode, 503);
    assert.equal(refused.json().error.code, 'HERALD_UNAVAILABLE');
    assert.ok(refused.headers['retry-after']);
    sink.failing = false;
    assert.equal((await post([report()])).statusCode, 200);
    assert.equal(sink.receipts.length, 1);
  });
});

describe('POST /v1/receipts/solapi under the app-wide strict JSON parser (as buildApp installs it)', () => {
  it('registers (it replaces the inherited parser in its own scope) and takes a report', async () => {
    const sink = new CollectingSink();
    const app = Fastify();
    installStrictJsonParser(app, 1_048_576);
    await app.register(receiptWebhookRoutes, {
      prefix: '/v1',
      sink,
      solapi: [{ secret: SECRET, textVendor: 'solapi-sms', voiceVendor: 'solapi-vms' }],
      now: () => NOW,
    });
    try {
      await app.ready();
      const response = await app.inject({
        method: 'POST',
        url: `/v1/receipts/solapi?token=${encodeURIComponent(SECRET)}`,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify([report()]),
      });
      assert.equal(response.statusCode, 200);
      assert.equal(sink.receipts.length, 1);
    } finally {
      await app.close();
    }
  });
});
