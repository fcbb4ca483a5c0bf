import {
  type FleetDeployment,
  textAccountOf,
  textBaseUrlOf,
  type VendorDefinition,
} from '../../app/vendor-factories.ts';
import type { Vendor } from '../../ports/vendor.ts';
import { createNhnSmsVendor } from './nhn-sms-vendor.ts';

/**
 * The `nhn-sms` kind's VendorFactory: the account (the simulator's generated appKey and secret
 * key, or the definition's accountId and the secret its credentials name) loaded once, then one
 * adapter per lane. A function declaration, not a const: vendor-factories.ts imports it while this
 * module imports that one's helpers, and a declaration is ready whichever module loads first.
 */
export function nhnSmsFactory(
  { id, settings, channels }: VendorDefinition,
  deployment: FleetDeployment,
): () => Vendor {
  if (settings.kind !== 'nhn-sms') throw new Error(`vendor ${id} is not of kind nhn-sms`);
  const { accountId, secret } = textAccountOf(id, settings, deployment);
  const baseUrl = textBaseUrlOf(id, settings, deployment);
  return () => createNhnSmsVendor({ id, channels, baseUrl, appKey: accountId, secretKey: secret });
}
