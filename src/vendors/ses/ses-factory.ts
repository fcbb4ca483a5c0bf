import type { FleetDeployment, VendorDefinition } from '../../app/vendor-factory.ts';
import { simulatorUrlOf } from '../../app/vendor-factory.ts';
import { endpointOf, sendsToSimulator } from '../../config/vendor-definitions.ts';
import { loadTextSecret, VendorSecretError } from '../../config/vendor-secrets.ts';
import type { SesVendorSettings } from '../../core/domain/remote-config.ts';
import type { Vendor } from '../../ports/vendor.ts';
import { createSesVendor, type SesVendorOptions } from './ses-vendor.ts';

/** FromEmailAddress of the simulator's mail when the definition names none. */
const SIMULATOR_FROM = 'herald <no-reply@herald.local>';

/**
 * The `ses` kind's VendorFactory: at the simulator, its SES API under `<simulator>/<id>` with the
 * generated access key and region; else SES' endpoint for the definition's region (or its own
 * https origin), the access key id `accountId` and the secret access key its credentials name,
 * loaded once (one line of printable ASCII, as IAM issues it). Then one client per lane.
 */
export function sesFactory(
  { id, settings, channels }: VendorDefinition,
  deployment: FleetDeployment,
): () => Vendor {
  if (settings.kind !== 'ses') throw new Error(`vendor ${id} is not of kind ses`);
  const account = sendsToSimulator(settings)
    ? simulatorAccount(id, deployment)
    : sesAccount(id, settings, deployment);
  const options: SesVendorOptions = {
    id,
    channels,
    ...account,
    from: settings.from ?? SIMULATOR_FROM,
    ...(settings.configurationSet ? { configurationSet: settings.configurationSet } : {}),
  };
  return () => createSesVendor(options);
}

type Account = Pick<SesVendorOptions, 'endpoint' | 'region' | 'accessKeyId' | 'secretAccessKey'>;

function simulatorAccount(id: string, deployment: FleetDeployment): Account {
  const key = deployment.simulatorCredentials?.ses;
  if (key === undefined) throw new VendorSecretError(id, 'no generated simulator SES access key exists');
  return {
    endpoint: `${simulatorUrlOf(id, deployment)}/${encodeURIComponent(id)}`,
    region: key.region,
    accessKeyId: key.accessKeyId,
    secretAccessKey: key.secretAccessKey,
  };
}

function sesAccount(id: string, settings: SesVendorSettings, deployment: FleetDeployment): Account {
  if (
    settings.region === undefined ||
    settings.accountId === undefined ||
    settings.credentials === undefined
  ) {
    throw new VendorSecretError(id, 'region, accountId and credentials are required for SES');
  }
  return {
    endpoint: endpointOf(settings),
    region: settings.region,
    accessKeyId: settings.accountId,
    secretAccessKey: loadTextSecret(id, settings.credentials, deployment.secrets),
  };
}
