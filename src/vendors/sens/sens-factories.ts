import {
  type FleetDeployment,
  textAccountOf,
  textBaseUrlOf,
  type VendorDefinition,
} from '../../app/vendor-factory.ts';
import { VendorSecretError } from '../../config/vendor-secrets.ts';
import type { Vendor } from '../../ports/vendor.ts';
import { createSensAlimtalkVendor } from './sens-alimtalk-vendor.ts';
import type { SensAccount } from './sens-client.ts';
import { createSensSmsVendor } from './sens-sms-vendor.ts';

/** `sens-sms`: SENS SMS/LMS/MMS at the simulator or https://sens.apigw.ntruss.com. */
export function sensSmsFactory(definition: VendorDefinition, deployment: FleetDeployment): () => Vendor {
  const { id, channels } = definition;
  const account = sensAccountOf(definition, deployment);
  const baseUrl = textBaseUrlOf(id, definition.settings, deployment);
  return () => createSensSmsVendor({ id, channels, baseUrl, account });
}

/** `sens-alimtalk`: SENS AlimTalk (send, result look-up, templates). */
export function sensAlimtalkFactory(definition: VendorDefinition, deployment: FleetDeployment): () => Vendor {
  const { id, channels } = definition;
  const account = sensAccountOf(definition, deployment);
  const baseUrl = textBaseUrlOf(id, definition.settings, deployment);
  return () => createSensAlimtalkVendor({ id, channels, baseUrl, account });
}

/** The access key, secret key (loaded once) and service id the adapter signs and addresses with. */
function sensAccountOf(definition: VendorDefinition, deployment: FleetDeployment): SensAccount {
  const { accountId, secret, serviceId } = textAccountOf(definition.id, definition.settings, deployment);
  if (!serviceId) throw new VendorSecretError(definition.id, 'a SENS vendor needs its serviceId');
  return { accessKey: accountId, secretKey: secret, serviceId };
}
