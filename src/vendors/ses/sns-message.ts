import { createVerify, X509Certificate } from 'node:crypto';

/**
 * An Amazon SNS HTTP(S) message, as SNS POSTs it to a subscribed endpoint (JSON in a text/plain
 * body; "Verifying the signatures of Amazon SNS messages", SNS Developer Guide). The fields herald
 * reads; SNS may add others, which are not signed and are ignored.
 */
export interface SnsMessage {
  readonly Type: 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  readonly MessageId: string;
  readonly TopicArn: string;
  readonly Subject?: string;
  readonly Message: string;
  readonly Timestamp: string;
  readonly SignatureVersion: string;
  readonly Signature: string;
  readonly SigningCertURL: string;
  readonly SubscribeURL?: string;
  readonly Token?: string;
}

const TYPES = new Set(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']);
const REQUIRED = [
  'MessageId',
  'TopicArn',
  'Message',
  'Timestamp',
  'SignatureVersion',
  'Signature',
  'SigningCertURL',
];

/** The body as an SNS message, or undefined when it is not one (a field missing or not a string). */
export function parseSnsMessage(value: unknown): SnsMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const fields = value as Record<string, unknown>;
  if (!TYPES.has(fields.Type as string)) return undefined;
  if (!REQUIRED.every((name) => typeof fields[name] === 'string')) return undefined;
  for (const name of ['Subject', 'SubscribeURL', 'Token']) {
    if (fields[name] !== undefined && fields[name] !== null && typeof fields[name] !== 'string')
      return undefined;
  }
  if (
    fields.Type !== 'Notification' &&
    (typeof fields.SubscribeURL !== 'string' || typeof fields.Token !== 'string')
  ) {
    return undefined;
  }
  return value as SnsMessage;
}

/**
 * The string SNS signs: for a Notification the name and value of Message, MessageId, Subject (only
 * when present), Timestamp, TopicArn and Type, each followed by a line feed; for a subscription or
 * unsubscribe confirmation Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn and Type.
 */
export function snsStringToSign(message: SnsMessage): string {
  const names =
    message.Type === 'Notification'
      ? [
          'Message',
          'MessageId',
          ...(typeof message.Subject === 'string' ? ['Subject'] : []),
          'Timestamp',
          'TopicArn',
          'Type',
        ]
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  const fields = message as unknown as Record<string, string>;
  return names.map((name) => `${name}\n${fields[name]}\n`).join('');
}

/**
 * Whether the message's Signature is SignatureVersion 2 (RSA with SHA-256, base64) over its string
 * to sign, by the public key of `certificatePem`. Version 1 (SHA-1) is refused: a topic can be set
 * to sign with version 2, and herald asks for it.
 */
export function verifySnsSignature(message: SnsMessage, certificatePem: string): boolean {
  if (message.SignatureVersion !== '2') return false;
  const verifier = createVerify('RSA-SHA256');
  verifier.update(snsStringToSign(message), 'utf8');
  try {
    return verifier.verify(new X509Certificate(certificatePem).publicKey, message.Signature, 'base64');
  } catch {
    return false;
  }
}
