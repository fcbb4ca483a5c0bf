import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createSensAlimtalkVendor } from '../../../src/vendors/sens/sens-alimtalk-vendor.ts';
import { deliveryCheckOf } from '../../../src/vendors/sens/sens-delivery-check.ts';
import { sensSignature } from '../../../src/vendors/sens/sens-signature.ts';
import { createSensSmsVendor } from '../../../src/vendors/sens/sens-sms-vendor.ts';
import { ALIMTALK_ACCOUNT, alimtalkMessage, SMS_ACCOUNT, smsMessage } from './sens-test-kit.ts';

interface Captured {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

/** A host that records what the adapter puts on the wire and answers as SENS' send does. */
describe('SENS adapters on the wire', () => {
  let server: Server;
  let base: string;
  const captured: Captured[] = [];
  beforeEach(async () => {
    captured.length = 0;
    server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
      });
      request.on('end', () => {
        captured.push({
          method: request.method!,
          url: request.url!,
          headers: request.headers,
          body: JSON.parse(text),
        });
        response.writeHead(202, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({ requestId: 'R1', messages: [{ messageId: 'M1', requestStatusCode: 'A000' }] }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}/sens-x`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('signs the path without the simulator prefix and carries the herald message id', async () => {
    const vendor = createSensSmsVendor({ id: 'sens-sms', baseUrl: base, account: SMS_ACCOUNT });
    const message = smsMessage();
    await vendor.send(message, AbortSignal.timeout(5_000));
    await vendor.close();
    const [call] = captured;
    const path = `/sms/v2/services/${SMS_ACCOUNT.serviceId}/messages`;
    assert.equal(call!.url, `/sens-x${path}`);
    const timestamp = String(call!.headers['x-ncp-apigw-timestamp']);
    assert.equal(
      call!.headers['x-ncp-apigw-signature-v2'],
      sensSignature(SMS_ACCOUNT.secretKey, 'POST', path, timestamp, SMS_ACCOUNT.accessKey),
    );
    assert.equal(call!.headers['x-herald-message-id'], message.messageId);
    assert.deepEqual(call!.body, {
      type: 'SMS',
      contentType: 'COMM',
      countryCode: '82',
      from: message.from,
      content: message.body,
      messages: [{ to: message.to }],
    });
  });

  it('sends an ad LMS as contentType AD with the subject given', async () => {
    const vendor = createSensSmsVendor({ id: 'sens-sms', baseUrl: base, account: SMS_ACCOUNT });
    await vendor.send(
      smsMessage({ channel: 'lms', lane: 'ad', subject: '할인' }),
      AbortSignal.timeout(5_000),
    );
    await vendor.close();
    assert.deepEqual(
      [captured[0]!.body.type, captured[0]!.body.contentType, captured[0]!.body.subject],
      ['LMS', 'AD', '할인'],
    );
  });

  it("turns SENS' own fallback off on every AlimTalk message", async () => {
    const vendor = createSensAlimtalkVendor({
      id: 'sens-alimtalk',
      baseUrl: base,
      account: ALIMTALK_ACCOUNT,
    });
    const receipt = await vendor.send(alimtalkMessage(), AbortSignal.timeout(5_000));
    await vendor.close();
    assert.equal(receipt.vendorMessageId, 'M1');
    const body = captured[0]!.body as {
      plusFriendId: string;
      templateCode: string;
      messages: Record<string, unknown>[];
    };
    assert.equal(body.plusFriendId, '@herald');
    assert.equal(body.templateCode, 'ORDER_SHIPPED');
    assert.equal(body.messages[0]!.useSmsFailover, false);
    assert.equal(body.messages[0]!.failoverConfig, undefined);
  });
});

describe("SENS' AlimTalk look-up as a DeliveryCheck", () => {
  it('keeps codes other than 3018/3019/3020 undelivered without the fallback', () => {
    const check = deliveryCheckOf(
      { requestStatusCode: 'A000', messageStatusCode: '3016', completeTime: '2026-12-01 21:00:00' },
      0,
    );
    assert.deepEqual(check.state === 'undelivered' && [check.code, check.fallback, check.at], [
      '3016',
      false,
      Date.UTC(2026, 11, 1, 12),
    ]);
  });

  it('reports a request SENS refused as undelivered for good', () => {
    const check = deliveryCheckOf({ requestStatusCode: 'A001', requestStatusDesc: 'invalid' }, 5);
    assert.deepEqual(check, {
      state: 'undelivered',
      at: 5,
      code: 'A001',
      message: 'invalid',
      fallback: false,
    });
  });
});
