import { createSign, randomUUID } from 'node:crypto';
import type { SnsMessage } from '../../vendors/ses/sns-message.ts';
import { snsStringToSign } from '../../vendors/ses/sns-message.ts';

/** What the simulator signs SNS messages with: a key and the certificate it publishes at `certificateUrl`. */
export interface SnsSigner {
  readonly privateKeyPem: string;
  /** https URL on the simulator's certificate host, ending .pem (SNS' SigningCertURL form). */
  readonly certificateUrl: string;
  readonly topicArn: string;
}

/**
 * An SNS Notification of `message` (SES' JSON) as SNS POSTs it: SignatureVersion 2, the RSA-SHA256
 * signature over SNS' string to sign by the signer's key, SigningCertURL its certificate's URL.
 */
export function signedSnsNotification(signer: SnsSigner, message: object, now = new Date()): SnsMessage {
  const unsigned = {
    Type: 'Notification' as const,
    MessageId: randomUUID(),
    TopicArn: signer.topicArn,
    Message: JSON.stringify(message),
    Timestamp: now.toISOString(),
    SignatureVersion: '2',
    Signature: '',
    SigningCertURL: signer.certificateUrl,
  };
  const sign = createSign('RSA-SHA256');
  sign.update(snsStringToSign(unsigned), 'utf8');
  return { ...unsigned, Signature: sign.sign(signer.privateKeyPem, 'base64') };
}

/** SES' notification of a message it delivered (SES message id = the vendor message id herald keeps). */
export function sesDeliveryNotification(sesMessageId: string, at = new Date()): object {
  return {
    notificationType: 'Delivery',
    mail: { messageId: sesMessageId, timestamp: at.toISOString(), source: 'no-reply@herald.local' },
    delivery: {
      timestamp: at.toISOString(),
      processingTimeMillis: 120,
      smtpResponse: '250 2.6.0 Message accepted',
    },
  };
}

/** SES' notification of a bounce: permanent (no such mailbox, 5.1.1) unless told otherwise. */
export function sesBounceNotification(
  sesMessageId: string,
  recipient: string,
  at = new Date(),
  type: { bounceType: string; bounceSubType: string; status: string } = {
    bounceType: 'Permanent',
    bounceSubType: 'General',
    status: '5.1.1',
  },
): object {
  return {
    notificationType: 'Bounce',
    mail: { messageId: sesMessageId, timestamp: at.toISOString(), source: 'no-reply@herald.local' },
    bounce: {
      bounceType: type.bounceType,
      bounceSubType: type.bounceSubType,
      timestamp: at.toISOString(),
      feedbackId: randomUUID(),
      bouncedRecipients: [
        {
          emailAddress: recipient,
          status: type.status,
          action: 'failed',
          diagnosticCode: `smtp; 550 ${type.status} ${recipient} unknown`,
        },
      ],
    },
  };
}
