import {
  type FleetDeployment,
  textAccountOf,
  textBaseUrlOf,
  type VendorDefinition,
} from '../../app/vendor-factory.ts';
import type { Vendor } from '../../ports/vendor.ts';
import { createSolapiAlimtalkVendor } from './solapi-alimtalk-vendor.ts';
import { createSolapiSmsVendor, type SolapiVendorOptions } from './solapi-sms-vendor.ts';
import { createSolapiVmsVendor } from './solapi-vms-vendor.ts';

/** `solapi-sms` (src/vendors/solapi): the API key and secret loaded once, an adapter per lane. */
export function solapiSmsFactory(definition: VendorDefinition, deployment: FleetDeployment): () => Vendor {
  const options = solapiOptionsOf(definition, deployment);
  return () => createSolapiSmsVendor(options);
}

/** `solapi-alimtalk` (src/vendors/solapi): the same account and API, AlimTalk's adapter. */
export function solapiAlimtalkFactory(
  definition: VendorDefinition,
  deployment: FleetDeployment,
): () => Vendor {
  const options = solapiOptionsOf(definition, deployment);
  return () => createSolapiAlimtalkVendor(options);
}

/** `solapi-vms` (src/vendors/solapi): the same account and API, the voice message's adapter. */
export function solapiVmsFactory(definition: VendorDefinition, deployment: FleetDeployment): () => Vendor {
  const options = solapiOptionsOf(definition, deployment);
  return () => createSolapiVmsVendor(options);
}

function solapiOptionsOf(
  { id, settings, channels }: VendorDefinition,
  deployment: FleetDeployment,
): SolapiVendorOptions {
  const { accountId, secret } = textAccountOf(id, settings, deployment);
  return {
    id,
    account: { apiKey: accountId, apiSecret: secret },
    baseUrl: textBaseUrlOf(id, settings, deployment),
    channels,
  };
}
