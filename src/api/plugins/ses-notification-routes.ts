import type { FastifyPluginAsync } from 'fastify';
import type { ReceiptSink } from '../../core/domain/delivery-receipt.ts';
import { HeraldError } from '../../core/domain/errors.ts';
import { receiptOfSesNotification } from '../../vendors/ses/ses-notification-receipts.ts';
import type { SigningCertificates } from '../../vendors/ses/sns-certificates.ts';
import { parseSnsMessage, verifySnsSignature } from '../../vendors/ses/sns-message.ts';

export interface SesNotificationRoutesOptions {
  /** Where the receipts go (the receipts topic), durably, before SNS gets its 200. */
  readonly sink: ReceiptSink;
  /** The SigningCertURL fetcher and cache, with the hosts allowed (vendors/ses/sns-certificates.ts). */
  readonly certificates: SigningCertificates;
  /** The ses vendor id the receipts are for (its vendor message ids); default `ses`. */
  readonly vendor?: string;
  /** The topics herald subscribed; absent: any topic whose message verifies. */
  readonly topicArns?: readonly string[];
  /** Told about each notification that is not a receipt (other SES event types, malformed). */
  readonly onIgnored?: (reason: string) => void;
  readonly now?: () => number;
}

/** An SNS message is at most 256 KiB, and the envelope's JSON escaping adds some. */
const MAX_BODY_BYTES = 512 * 1024;

/**
 * SES bounce, complaint and delivery notifications, as Amazon SNS POSTs them (HTTP/S subscription):
 * `POST /ses/notifications`, public (SNS carries no API key), every message verified the way SNS
 * signs before anything is believed: SignatureVersion 2 (RSA-SHA256) over SNS' string to sign, by
 * the certificate at SigningCertURL, which must be https on an allowed host (fetched once, cached).
 *
 * - Notification: its Message (SES' JSON) becomes a DeliveryReceipt (bounce -> undelivered,
 *   delivery and complaint -> delivered, carrier unknown), handed to the sink; 200 once the sink
 *   took it (a sink failure answers 503, so SNS retries). Other SES events: 200, ignored.
 * - SubscriptionConfirmation / UnsubscribeConfirmation: verified and answered 200, never followed:
 *   an operator confirms the subscription (the SubscribeURL is in the message), so a forged
 *   confirmation cannot make herald fetch a URL.
 * - A message that is not SNS' shape: 400 HERALD_VALIDATION_FAILED; one whose signature or
 *   certificate does not verify, or from another topic: 401 HERALD_UNAUTHORIZED.
 *
 * Not registered by build-app.ts: the integrator mounts it with the sink of the receipts topic.
 */
export const sesNotificationRoutes: FastifyPluginAsync<SesNotificationRoutesOptions> = async (
  app,
  options,
) => {
  const vendor = options.vendor ?? 'ses';
  const now = options.now ?? Date.now;
  const topics = options.topicArns === undefined ? undefined : new Set(options.topicArns);
  // SNS posts JSON as text/plain; scoped to this plugin, the rest of the API takes JSON only.
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: MAX_BODY_BYTES }, (_request, body, done) =>
    done(null, body),
  );

  app.post('/ses/notifications', async (request, reply) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(typeof request.body === 'string' ? request.body : JSON.stringify(request.body));
    } catch {
      throw new HeraldError('HERALD_INVALID_JSON', 'the body is not an SNS message (JSON)');
    }
    const message = parseSnsMessage(parsed);
    if (message === undefined) {
      throw new HeraldError(
        'HERALD_VALIDATION_FAILED',
        'the body is not an SNS message: Type, MessageId, TopicArn, Message, Timestamp and the signature fields are required',
      );
    }
    if (topics !== undefined && !topics.has(message.TopicArn)) {
      throw new HeraldError('HERALD_UNAUTHORIZED', 'the message is from a topic herald did not subscribe');
    }
    let certificate: string;
    try {
      certificate = await options.certificates.get(message.SigningCertURL);
    } catch (error) {
      throw new HeraldError(
        'HERALD_UNAUTHORIZED',
        `the signing certificate was refused: ${(error as Error).message}`,
      );
    }
    if (!verifySnsSignature(message, certificate)) {
      throw new HeraldError(
        'HERALD_UNAUTHORIZED',
        'the SNS signature does not verify (SignatureVersion 2, RSA-SHA256, by the SigningCertURL certificate)',
      );
    }
    if (message.Type !== 'Notification') {
      request.log.info({ type: message.Type, topic: message.TopicArn }, 'SNS subscription message verified');
      return reply.status(200).send({ ok: true });
    }
    let notification: unknown;
    try {
      notification = JSON.parse(message.Message);
    } catch {
      notification = undefined;
    }
    const receipt = receiptOfSesNotification(notification, vendor, now());
    if (receipt === undefined) {
      options.onIgnored?.('not a bounce, complaint or delivery notification');
      return reply.status(200).send({ ok: true });
    }
    await options.sink.submit([receipt]);
    return reply.status(200).send({ ok: true });
  });
};
