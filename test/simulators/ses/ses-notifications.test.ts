import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  ensureSnsSigningCredentials,
  SIMULATOR_SNS_CERTIFICATE_URL,
  type SnsSigningCredentials,
} from '../../../src/simulators/ses/sns-signing-credentials.ts';
import { type SimulatorServer, startSimulatorServer } from '../../../src/simulators/simulator-server.ts';
import { applyReceiptFlags } from '../../../src/simulators/text/receipt-flags.ts';
import { patchReceiptMix } from '../../../src/simulators/text/receipt-mix.ts';
import {
  parseSnsMessage,
  type SnsMessage,
  verifySnsSignature,
} from '../../../src/vendors/ses/sns-message.ts';
import { waitFor } from '../../support/herald-harness.ts';
import { type ReceiverBehaviour, WebhookReceiver } from '../../support/webhook-receiver.ts';
import { SES_VENDOR_ID, sesKey } from '../../vendors/ses/ses-test-kit.ts';

/**
 * The SES simulator's notifications as SNS posts them to an HTTPS subscription: one signed
 * Notification per accepted message, Delivery or Bounce by the message's fate, retried on a
 * non-2xx, and counted in the receipt tally only once the receiver took it.
 */
describe('SES simulator notifications (SNS)', () => {
  const key = sesKey();
  let dir: string;
  let signing: SnsSigningCredentials;
  let sim: SimulatorServer;
  let client: SESv2Client;
  let receiver: WebhookReceiver;
  let sent = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'herald-sns-'));
    signing = ensureSnsSigningCredentials(join(dir, 'creds'));
    sim = await startSimulatorServer({ vendors: { [SES_VENDOR_ID]: {} }, sesTrust: key, snsSigner: signing });
    client = new SESv2Client({
      region: key.region,
      endpoint: `${sim.url}/${SES_VENDOR_ID}`,
      credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
      maxAttempts: 1,
    });
  });
  beforeEach(() => sim.reset());
  after(async () => {
    client.destroy();
    await receiver?.close();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh receiver set as the notification URL through the control API, answering as told. */
  async function subscribe(behaviour: ReceiverBehaviour = () => 200): Promise<void> {
    await receiver?.close();
    receiver = new WebhookReceiver(behaviour);
    const url = await receiver.start();
    const put = await fetch(`${sim.url}/_sim/vendors/ses/webhook`, {
      method: 'PUT',
      body: JSON.stringify({ url }),
    });
    assert.equal(put.status, 200);
  }

  function undeliveredShare(share: number): void {
    const mix = patchReceiptMix(sim.text.results.mix, { undeliveredShare: share });
    assert.notEqual(typeof mix, 'string');
    sim.text.results.mix = mix as typeof sim.text.results.mix;
  }

  async function sendEmail(): Promise<string> {
    sent += 1;
    const output = await client.send(
      new SendEmailCommand({
        FromEmailAddress: 'no-reply@herald.test',
        Destination: { ToAddresses: ['kim@example.com'] },
        Content: { Simple: { Subject: { Data: 'Hi' }, Body: { Text: { Data: 'Hello' } } } },
        EmailTags: [{ Name: 'herald-message-id', Value: `m-${sent}` }],
      }),
    );
    return output.MessageId!;
  }

  function notificationAt(index: number): SnsMessage {
    const message = parseSnsMessage(JSON.parse(receiver.received[index]!.body));
    assert.ok(message, 'the body is an SNS message');
    return message;
  }

  it('posts a signed Delivery notification for a delivered message, as SNS does', async () => {
    await subscribe();
    undeliveredShare(0);
    const sesMessageId = await sendEmail();
    await waitFor(async () => sim.stats().receipts.ses !== undefined, 5_000, 'the notification taken');
    assert.equal(receiver.received.length, 1, 'one POST per message');
    const { headers } = receiver.received[0]!;
    const notification = notificationAt(0);
    assert.equal(headers['content-type'], 'text/plain; charset=UTF-8');
    assert.equal(headers['x-amz-sns-message-type'], 'Notification');
    assert.equal(headers['x-amz-sns-message-id'], notification.MessageId);
    assert.equal(headers['x-amz-sns-topic-arn'], notification.TopicArn);
    assert.equal(notification.SignatureVersion, '2');
    assert.equal(notification.SigningCertURL, SIMULATOR_SNS_CERTIFICATE_URL);
    assert.ok(verifySnsSignature(notification, signing.certificatePem), 'verifies with the certificate');
    const ses = JSON.parse(notification.Message);
    assert.equal(ses.notificationType, 'Delivery');
    assert.equal(ses.mail.messageId, sesMessageId, 'the MessageId SendEmail answered');
    assert.deepEqual(sim.stats().receipts.ses, { delivered: { unknown: 1 }, undelivered: {} });
  });

  it('posts a Bounce (Permanent, General, 5.1.1) for an undelivered message', async () => {
    await subscribe();
    undeliveredShare(1);
    const sesMessageId = await sendEmail();
    await waitFor(async () => sim.stats().receipts.ses !== undefined, 5_000, 'the notification taken');
    const notification = notificationAt(0);
    assert.ok(verifySnsSignature(notification, signing.certificatePem));
    const ses = JSON.parse(notification.Message);
    assert.equal(ses.notificationType, 'Bounce');
    assert.equal(ses.mail.messageId, sesMessageId);
    assert.equal(ses.bounce.bounceType, 'Permanent');
    assert.equal(ses.bounce.bounceSubType, 'General');
    assert.equal(ses.bounce.bouncedRecipients[0].status, '5.1.1');
    assert.deepEqual(sim.stats().receipts.ses, { delivered: {}, undelivered: { unknown: 1 } });
  });

  it('retries the same notification after a 500, and counts it once taken', async () => {
    await subscribe((n) => (n === 0 ? 500 : 200));
    undeliveredShare(0);
    await sendEmail();
    await waitFor(async () => sim.stats().receipts.ses !== undefined, 5_000, 'the retry taken');
    assert.deepEqual(
      receiver.answered.map(({ status }) => status),
      [500, 200],
    );
    assert.equal(notificationAt(1).MessageId, notificationAt(0).MessageId, 'SNS retries the same message');
    assert.deepEqual(sim.stats().receipts.ses, { delivered: { unknown: 1 }, undelivered: {} });
  });

  it('counts nothing the receiver never took, after a few attempts', async () => {
    await subscribe(() => 503);
    await sendEmail();
    await waitFor(async () => receiver.received.length >= 4, 5_000, 'every attempt');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.equal(receiver.received.length, 4, 'gives up after 4 attempts');
    assert.equal(sim.stats().receipts.ses, undefined);
  });

  it('waits for the result delay, and posts nothing without a notification URL', async () => {
    await subscribe();
    sim.text.results.resultDelayMs = 400;
    const startedAt = Date.now();
    await sendEmail();
    await waitFor(async () => receiver.received.length === 1, 5_000, 'the delayed notification');
    assert.ok(Date.now() - startedAt >= 350, 'not before the result delay');
    await fetch(`${sim.url}/_sim/vendors/ses/webhook`, {
      method: 'PUT',
      body: JSON.stringify({ url: null }),
    });
    await sendEmail();
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.equal(receiver.received.length, 1);
  });

  it('takes the URL from --ses-notification-url, and keeps it across a reset', () => {
    applyReceiptFlags({ 'ses-notification-url': 'http://127.0.0.1:1/ses/notifications' }, sim.text);
    sim.reset();
    assert.equal(sim.text.webhooks.get('ses'), 'http://127.0.0.1:1/ses/notifications');
    assert.throws(
      () => applyReceiptFlags({ 'ses-notification-url': 'ftp://x' }, sim.text),
      /--ses-notification-url/,
    );
  });

  it('generates the signing key and a self-signed certificate once, 0600, valid now', () => {
    const again = ensureSnsSigningCredentials(join(dir, 'creds'));
    assert.equal(again.certificatePem, signing.certificatePem, 'never rewritten');
    assert.equal(statSync(signing.file).mode & 0o777, 0o600);
    const certificate = new X509Certificate(signing.certificatePem);
    assert.ok(certificate.verify(certificate.publicKey), 'self-signed');
    assert.ok(Date.parse(certificate.validFrom) < Date.now() && Date.now() < Date.parse(certificate.validTo));
    assert.equal(certificate.subject, 'CN=sns.simulator.herald.invalid');
  });
});
