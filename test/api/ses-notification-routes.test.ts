import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { installErrorHandling } from '../../src/api/error-handler.ts';
import { sesNotificationRoutes } from '../../src/api/plugins/ses-notification-routes.ts';
import type { DeliveryReceipt } from '../../src/core/domain/delivery-receipt.ts';
import { HeraldError } from '../../src/core/domain/errors.ts';
import {
  type SnsSigner,
  sesBounceNotification,
  sesDeliveryNotification,
  signedSnsNotification,
} from '../../src/simulators/ses/sns-notifier.ts';
import { createSigningCertificates } from '../../src/vendors/ses/sns-certificates.ts';
import { snsStringToSign } from '../../src/vendors/ses/sns-message.ts';

/**
 * SES bounce and delivery notifications through SNS, verified as SNS signs: the simulator's signer
 * (a key and certificate made with openssl for the test) signs each message; herald fetches the
 * certificate only from the allowed host, over https (the fetch is the test's: it serves the
 * simulator's certificate and counts fetches), checks SignatureVersion 2 RSA-SHA256, and hands a
 * DeliveryReceipt to the sink.
 */
const CERT_HOST = 'sns.sim.herald.test';
const TOPIC = 'arn:aws:sns:ap-northeast-2:000000000000:herald-ses';
let dir: string;
let signer: SnsSigner;
let otherSigner: SnsSigner;
const served = new Map<string, string>();
let fetches: string[] = [];

function keyAndCertificate(name: string): { key: string; cert: string } {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.pem`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'herald-sns-'));
  const sim = keyAndCertificate('sns-sim');
  const other = keyAndCertificate('forger');
  signer = {
    privateKeyPem: sim.key,
    certificateUrl: `https://${CERT_HOST}/SimpleNotificationService-sim.pem`,
    topicArn: TOPIC,
  };
  otherSigner = { ...signer, privateKeyPem: other.key };
  served.set(signer.certificateUrl, sim.cert);
  served.set(`https://evil.example/SimpleNotificationService-x.pem`, other.cert);
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('SES notifications through SNS (ses-notification-routes)', () => {
  let app: FastifyInstance;
  let receipts: DeliveryReceipt[];
  let sinkFails: boolean;
  const ignored: string[] = [];

  beforeEach(async () => {
    receipts = [];
    sinkFails = false;
    fetches = [];
    app = Fastify();
    installErrorHandling(app);
    await app.register(sesNotificationRoutes, {
      sink: {
        async submit(batch) {
          if (sinkFails)
            throw new HeraldError('HERALD_UNAVAILABLE', 'receipts topic down', { retryable: true });
          receipts.push(...batch);
        },
      },
      certificates: createSigningCertificates({
        allowedHosts: [CERT_HOST],
        async fetch(url) {
          fetches.push(url.href);
          const pem = served.get(url.href);
          if (pem === undefined) throw new Error('404');
          return pem;
        },
      }),
      topicArns: [TOPIC],
      onIgnored: (reason) => ignored.push(reason),
      now: () => 1_700_000_000_000,
    });
  });

  const post = (body: unknown) =>
    app.inject({
      method: 'POST',
      url: '/ses/notifications',
      headers: { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': 'Notification' },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('turns a verified bounce into an undelivered receipt and a delivery into a delivered one', async () => {
    const at = new Date('2026-12-01T10:00:00.000Z');
    const bounce = await post(
      signedSnsNotification(signer, sesBounceNotification('ses-msg-1', 'kim@example.com', at)),
    );
    assert.equal(bounce.statusCode, 200, bounce.body);
    const delivery = await post(signedSnsNotification(signer, sesDeliveryNotification('ses-msg-2', at)));
    assert.equal(delivery.statusCode, 200, delivery.body);
    assert.deepEqual(receipts, [
      {
        vendor: 'ses',
        vendorMessageId: 'ses-msg-1',
        carrier: 'unknown',
        source: 'webhook',
        receivedAt: 1_700_000_000_000,
        state: 'undelivered',
        at: at.getTime(),
        code: 'Bounce/Permanent/General',
        message: 'permanent bounce (General) 5.1.1',
      },
      {
        vendor: 'ses',
        vendorMessageId: 'ses-msg-2',
        carrier: 'unknown',
        source: 'webhook',
        receivedAt: 1_700_000_000_000,
        state: 'delivered',
        at: at.getTime(),
        code: 'Delivery',
        message: 'delivered to the mailbox server',
      },
    ]);
    assert.ok(!JSON.stringify(receipts).includes('kim@example.com'), 'no address in a receipt');
    assert.deepEqual(fetches, [signer.certificateUrl], 'the certificate is fetched once and cached');
  });

  it("refuses a tampered message, a forger's key, SignatureVersion 1, and another topic, with 401", async () => {
    const good = signedSnsNotification(signer, sesDeliveryNotification('ses-msg-3'));
    const cases = [
      { ...good, Message: good.Message.replace('ses-msg-3', 'ses-msg-4') },
      signedSnsNotification(otherSigner, sesDeliveryNotification('ses-msg-3')),
      { ...good, SignatureVersion: '1' },
      { ...good, TopicArn: 'arn:aws:sns:ap-northeast-2:000000000000:other' },
    ];
    for (const body of cases) {
      const answer = await post(body);
      assert.equal(answer.statusCode, 401, answer.body);
      assert.equal(answer.json().error.code, 'HERALD_UNAUTHORIZED');
    }
    assert.deepEqual(receipts, []);
  });

  it('fetches a SigningCertURL only over https on an allowed host, ending .pem', async () => {
    for (const url of [
      'http://sns.sim.herald.test/SimpleNotificationService-sim.pem',
      'https://evil.example/SimpleNotificationService-x.pem',
      'https://sns.sim.herald.test.evil.example/SimpleNotificationService-sim.pem',
      'https://sns.sim.herald.test/cert.txt',
      'https://sns.sim.herald.test:8443/SimpleNotificationService-sim.pem',
      'not a url',
    ]) {
      const forged = signedSnsNotification(
        { ...otherSigner, certificateUrl: url },
        sesDeliveryNotification('m'),
      );
      const answer = await post(forged);
      assert.equal(answer.statusCode, 401, `${url}: ${answer.body}`);
      assert.match(answer.json().error.message, /signing certificate was refused/);
    }
    assert.deepEqual(fetches, [], 'nothing was fetched');
  });

  it('answers 400 to a body that is not an SNS message, 200 to other SES events, 503 when the sink fails', async () => {
    assert.equal((await post('not json')).statusCode, 400);
    assert.equal((await post({ Type: 'Notification', Message: 'x' })).statusCode, 400);
    const send = await post(signedSnsNotification(signer, { eventType: 'Send', mail: { messageId: 'm' } }));
    assert.equal(send.statusCode, 200);
    assert.ok(ignored.length > 0);
    sinkFails = true;
    const failed = await post(signedSnsNotification(signer, sesDeliveryNotification('ses-msg-5')));
    assert.equal(failed.statusCode, 503, failed.body);
    assert.deepEqual(receipts, []);
  });

  it('verifies a subscription confirmation and follows nothing', async () => {
    const unsigned = {
      Type: 'SubscriptionConfirmation' as const,
      MessageId: 'c1',
      TopicArn: TOPIC,
      Message: 'You have chosen to subscribe',
      SubscribeURL: 'https://sns.sim.herald.test/?Action=ConfirmSubscription&Token=t',
      Token: 't',
      Timestamp: new Date().toISOString(),
      SignatureVersion: '2',
      Signature: '',
      SigningCertURL: signer.certificateUrl,
    };
    const { createSign } = await import('node:crypto');
    const sign = createSign('RSA-SHA256');
    sign.update(snsStringToSign(unsigned));
    const answer = await post({ ...unsigned, Signature: sign.sign(signer.privateKeyPem, 'base64') });
    assert.equal(answer.statusCode, 200, answer.body);
    assert.deepEqual(fetches, [signer.certificateUrl], 'only the certificate was fetched');
    assert.deepEqual(receipts, []);
  });
});
