import { generateKeyPairSync } from 'node:crypto';
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
