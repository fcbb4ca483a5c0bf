import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type { OutboundMessage } from '../../../src/core/domain/message.ts';
import type { FcmTrust } from '../../../src/simulators/push-trust.ts';
import { parseServiceAccount, type ServiceAccount } from '../../../src/vendors/fcm/service-account.ts';

export interface TestServiceAccount {
  /** The key file's text, as Google's console would give it. */
  readonly json: string;
  readonly account: ServiceAccount;
  /** What the simulator must trust for it. */
  readonly trust: FcmTrust;
}

let keyPair: { privateKey: string; publicKey: string } | undefined;

/** A service account with an RSA-2048 key (one key per test process: generating one is slow). */
export function testServiceAccount(
  projectId = 'demo-project',
  clientEmail = `sender-${randomUUID()}@${projectId}.iam.gserviceaccount.com`,
): TestServiceAccount {
  keyPair ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const json = JSON.stringify({
    type: 'service_account',
    project_id: projectId,
    private_key_id: randomBytes(20).toString('hex'),
    private_key: keyPair.privateKey,
    client_email: clientEmail,
    client_id: '1234567890',
    token_uri: 'https://oauth2.googleapis.com/token',
  });
  return {
    json,
    account: parseServiceAccount(json, 'the test service account'),
    trust: { projectId, clientEmail, publicKeyPem: keyPair.publicKey },
  };
}

/** An FCM-shaped registration token no test has used. */
export function fcmToken(): string {
  return `${randomBytes(11).toString('base64url')}:APA91b${randomBytes(100).toString('base64url')}`;
}

/** A push message to an FCM token, as the pipeline hands it to the adapter. */
export function pushMessage(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  const messageId = randomUUID();
  return {
    messageId,
    idempotencyKey: `key-${messageId}`,
    channel: 'push',
    to: fcmToken(),
    subject: 'Order shipped',
    body: 'Your order is on its way',
    attempt: 1,
    expiresAt: Date.now() + 3_600_000,
    push: { provider: 'fcm', title: 'Order shipped', options: {}, expiresAt: Date.now() + 3_600_000 },
    ...overrides,
  };
}
