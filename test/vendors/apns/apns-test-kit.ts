import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type { OutboundMessage } from '../../../src/core/domain/message.ts';
import type { ApnsTrust } from '../../../src/simulators/push-trust.ts';

/** A fresh APNs key as Apple would issue it (.p8 PEM) and the simulator's trust record for it. */
export function apnsTestCredentials(topics?: readonly string[]): {
  readonly keyId: string;
  readonly teamId: string;
  readonly privateKeyPem: string;
  readonly trust: ApnsTrust;
} {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyId = 'KEY1234567';
  const teamId = 'TEAM123456';
  return {
    keyId,
    teamId,
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
    trust: {
      teamId,
      keyId,
      publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }) as string,
      topics,
    },
  };
}

/** An APNs device token no test has used: 32 random bytes as hex. */
export function apnsToken(): string {
  return randomBytes(32).toString('hex');
}

/** A push message to an APNs token, as the pipeline hands it to the adapter (message id: a UUID). */
export function apnsMessage(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  const messageId = randomUUID();
  return {
    messageId,
    idempotencyKey: `key-${messageId}`,
    channel: 'push',
    to: apnsToken(),
    subject: 'Order shipped',
    body: 'Your order is on its way',
    attempt: 1,
    expiresAt: Date.now() + 3_600_000,
    push: {
      provider: 'apns',
      app: 'com.example.shop',
      title: 'Order shipped',
      options: {},
      expiresAt: Date.now() + 3_600_000,
    },
    ...overrides,
  };
}
