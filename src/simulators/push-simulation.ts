import { createPublicKey, type KeyObject } from 'node:crypto';
import type { PushProvider } from '../core/domain/push-provider.ts';
import { ApnsSimulationState } from './apns/apns-simulation-state.ts';
import { DeadTokens } from './dead-tokens.ts';
import { AccessTokenRegistry } from './fcm/access-token-registry.ts';
import { type ApnsTrust, type FcmTrust, type PushTrust, pushContractOf } from './push-trust.ts';

export interface PushSimulationOptions {
  readonly trust?: PushTrust;
  /** `expires_in` of the access tokens the OAuth endpoint issues (Google: 3599). */
  readonly accessTokenTtlSeconds?: number;
  /** Epoch ms the push contracts judge token ages by (APNs provider tokens); defaults to Date.now. */
  readonly now?: () => number;
}

/** Thrown at start for a trust entry whose key cannot be read (names the vendor, never the key). */
export class PushTrustError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PushTrustError';
  }
}

const GOOGLE_ACCESS_TOKEN_TTL_SECONDS = 3_599;

/**
 * The push services' side of the simulator, apart from each vendor's behaviour: whom they trust,
 * the OAuth access tokens issued, and the device tokens declared dead. Shared by the HTTP/1.1
 * routes (token endpoint, control) and the HTTP/2 push contracts.
 */
export class PushSimulation {
  readonly trust: PushTrust;
  readonly accessTokens = new AccessTokenRegistry();
  readonly deadTokens = new DeadTokens();
  /** APNs: provider-token verifiers per vendor and the tokens accepted (src/simulators/apns/). */
  readonly apns = new ApnsSimulationState();
  readonly now: () => number;
  readonly accessTokenTtlSeconds: number;
  /** `${provider}:${vendorId}` -> the public key, parsed once at start. */
  readonly #keys = new Map<string, KeyObject>();

  constructor(options: PushSimulationOptions = {}) {
    this.trust = options.trust ?? {};
    this.accessTokenTtlSeconds = options.accessTokenTtlSeconds ?? GOOGLE_ACCESS_TOKEN_TTL_SECONDS;
    this.now = options.now ?? Date.now;
    for (const [provider, entries] of Object.entries(this.trust) as [
      PushProvider,
      Record<string, FcmTrust>,
    ][]) {
      for (const [vendorId, entry] of Object.entries(entries ?? {})) {
        this.#keys.set(`${provider}:${vendorId}`, readPublicKey(provider, vendorId, entry.publicKeyPem));
      }
    }
  }

  contractOf(vendorId: string): PushProvider | undefined {
    return pushContractOf(vendorId, this.trust);
  }

  fcmTrust(vendorId: string): FcmTrust | undefined {
    return this.trust.fcm?.[vendorId];
  }

  apnsTrust(vendorId: string): ApnsTrust | undefined {
    return this.trust.apns?.[vendorId];
  }

  publicKey(provider: PushProvider, vendorId: string): KeyObject | undefined {
    return this.#keys.get(`${provider}:${vendorId}`);
  }

  /** The FCM vendors whose service account is `clientEmail` (usually one). */
  fcmVendorsOf(clientEmail: string): string[] {
    return Object.entries(this.trust.fcm ?? {})
      .filter(([, entry]) => entry.clientEmail === clientEmail)
      .map(([vendorId]) => vendorId);
  }

  /** Revokes every access token issued so far to `vendorId`'s service account; returns how many. */
  revokeAccessTokens(vendorId: string): number {
    const trust = this.fcmTrust(vendorId);
    return trust === undefined ? 0 : this.accessTokens.revokeFor(trust.clientEmail);
  }

  /** Access tokens issued to `vendorId`'s service account since start (0 without FCM trust). */
  accessTokensIssued(vendorId: string): number {
    const trust = this.fcmTrust(vendorId);
    return trust === undefined ? 0 : this.accessTokens.grantsFor(trust.clientEmail);
  }
}

function readPublicKey(provider: string, vendorId: string, pem: string): KeyObject {
  try {
    return createPublicKey(pem);
  } catch (cause) {
    // The cause (from OpenSSL) describes the parse failure, not the key's content.
    throw new PushTrustError(`pushTrust.${provider}.${vendorId}.publicKeyPem is not a readable key`, {
      cause,
    });
  }
}
