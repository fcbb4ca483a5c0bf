import type { KeyObject } from 'node:crypto';
import { type ProviderTokenOptions, ProviderTokenSigner } from './provider-token.ts';

/**
 * One provider-token signer per APNs key in the process: every lane's APNs adapter for the same
 * key sends the same token and renews it once, so the process as a whole changes its token no
 * more often than every 20 minutes. Keyed by team and key id, and replaced when the key itself
 * changes (rotated .p8 under the same id).
 */
const SIGNERS = new Map<string, { readonly key: KeyObject; readonly signer: ProviderTokenSigner }>();

export function sharedProviderTokenSigner(options: ProviderTokenOptions): ProviderTokenSigner {
  // A test's own clock (or a non-default renewal age) gets a signer of its own.
  if (options.now !== undefined || options.renewAfterMs !== undefined)
    return new ProviderTokenSigner(options);
  const id = `${options.teamId}\n${options.keyId}`;
  const cached = SIGNERS.get(id);
  if (cached?.key.equals(options.privateKey)) return cached.signer;
  const signer = new ProviderTokenSigner(options);
  SIGNERS.set(id, { key: options.privateKey, signer });
  return signer;
}
