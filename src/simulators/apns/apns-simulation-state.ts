import type { KeyObject } from 'node:crypto';
import type { ApnsTrust } from '../push-trust.ts';
import { ProviderTokenVerifier } from './provider-token-verifier.ts';

/**
 * What the APNs side of the simulator keeps across connections, per vendor: one verifier for its
 * key (with its cache of checked tokens), and the distinct provider tokens it accepted, so a
 * test can see how often a client renewed its token.
 */
export class ApnsSimulationState {
  readonly #verifiers = new Map<string, ProviderTokenVerifier>();
  readonly #accepted = new Map<string, Set<string>>();

  verifierFor(vendorId: string, trust: ApnsTrust, publicKey: KeyObject): ProviderTokenVerifier {
    let verifier = this.#verifiers.get(vendorId);
    if (verifier === undefined) {
      verifier = new ProviderTokenVerifier(trust, publicKey);
      this.#verifiers.set(vendorId, verifier);
    }
    return verifier;
  }

  recordAccepted(vendorId: string, token: string): void {
    let tokens = this.#accepted.get(vendorId);
    if (tokens === undefined) {
      tokens = new Set();
      this.#accepted.set(vendorId, tokens);
    }
    tokens.add(token);
  }

  /** Distinct valid provider tokens `vendorId`'s clients have authenticated with since start. */
  tokensAccepted(vendorId: string): number {
    return this.#accepted.get(vendorId)?.size ?? 0;
  }
}
