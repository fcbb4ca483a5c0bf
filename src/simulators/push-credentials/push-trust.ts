import type { PushTrust } from '../push-trust.ts';
import type { SimulatorCredentials } from './push-credentials.ts';

/**
 * What the simulator checks push credentials against (startSimulatorServer's `pushTrust`): the
 * public halves of the generated keys. Topics are not restricted: a device's app id is its
 * apns-topic, and tests register apps of any name.
 */
export function simulatorPushTrust(credentials: SimulatorCredentials): PushTrust {
  return {
    fcm: Object.fromEntries(
      Object.entries(credentials.fcm).map(([id, c]) => [
        id,
        {
          projectId: c.account.project_id,
          clientEmail: c.account.client_email,
          publicKeyPem: c.publicKeyPem,
        },
      ]),
    ),
    apns: Object.fromEntries(
      Object.entries(credentials.apns).map(([id, c]) => [
        id,
        { teamId: c.teamId, keyId: c.keyId, publicKeyPem: c.publicKeyPem },
      ]),
    ),
  };
}
