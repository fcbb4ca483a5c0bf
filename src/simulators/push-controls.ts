import type { H2Endpoint } from './h2-endpoint.ts';
import type { PushSimulation } from './push-simulation.ts';
import { type SimulatorFleet, UnknownVendorError } from './simulator-fleet.ts';
import type { SimulatorServer } from './simulator-server.ts';

export type PushControls = Pick<
  SimulatorServer,
  | 'markTokensDead'
  | 'revokeAccessTokens'
  | 'accessTokensIssued'
  | 'providerTokensAccepted'
  | 'goAway'
  | 'dropConnections'
  | 'h2Stats'
>;

/** The in-process controls of the push side (the same operations as its /_sim routes). */
export function pushControls(fleet: SimulatorFleet, push: PushSimulation, h2: H2Endpoint): PushControls {
  const requireVendor = (vendorId: string): void => {
    if (fleet.vendor(vendorId) === undefined) throw new UnknownVendorError(vendorId);
  };
  return {
    markTokensDead: (vendorId, tokens) => {
      requireVendor(vendorId);
      push.deadTokens.mark(vendorId, tokens);
    },
    revokeAccessTokens: (vendorId) => {
      requireVendor(vendorId);
      push.revokeAccessTokens(vendorId);
    },
    accessTokensIssued: (vendorId) => push.accessTokensIssued(vendorId),
    providerTokensAccepted: (vendorId) => push.apns.tokensAccepted(vendorId),
    goAway: () => h2.goAway(),
    dropConnections: () => h2.destroyAll(),
    h2Stats: () => h2.stats(),
  };
}
