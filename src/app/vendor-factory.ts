import { endpointOf, isTextVendorKind, sendsToSimulator } from '../config/vendor-definitions.ts';
import { loadTextSecret, type SecretSource, VendorSecretError } from '../config/vendor-secrets.ts';
import type { Channel } from '../core/domain/channel.ts';
import type { TextVendorSettings, VendorSettings } from '../core/domain/remote-config.ts';
import type { Vendor } from '../ports/vendor.ts';
import type { SimulatorCredentials } from '../simulators/push-credentials/push-credentials.ts';

/**
 * What a vendor factory is and may use: the definition it builds from, the deployment around it,
 * and the helpers every factory of a simulated or real vendor shares. Apart from the registry of
 * factories (vendor-factories.ts) so that each vendor's own factory module can import these
 * without an import cycle.
 */

/** One vendor of the remote config, as the fleet builds it. */
export interface VendorDefinition {
  readonly id: string;
  readonly settings: VendorSettings;
  readonly channels: readonly Channel[];
}

/** What a factory may need of the deployment besides the definition. */
export interface FleetDeployment {
  /** The simulator's base URL, when one runs (in this process or `herald sim`). */
  readonly simulatorUrl: string | undefined;
  /** The generated push credentials the simulator trusts, when one runs. */
  readonly simulatorCredentials: SimulatorCredentials | undefined;
  readonly secrets: SecretSource;
  /** Where the simulator's SMTP server listens, when one runs (vendor smtp at endpoint `simulator`). */
  readonly simulatorSmtp?: SmtpAddress;
}

export interface SmtpAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * Builds a vendor's adapters from its definition, in two steps: the factory loads and checks what
 * the adapter needs (its secrets) once, and throws VendorSecretError naming the vendor and the
 * file or variable if it cannot; the builder it returns then makes one adapter per lane (each lane
 * its own connections).
 */
export type VendorFactory = (definition: VendorDefinition, deployment: FleetDeployment) => () => Vendor;

export function simulatorUrlOf(id: string, deployment: FleetDeployment): string {
  if (deployment.simulatorUrl === undefined) {
    throw new VendorSecretError(id, 'its endpoint is the simulator, and none runs (HERALD_SIMULATORS=off)');
  }
  return deployment.simulatorUrl;
}

/** herald's account at a Korean text vendor: the id, the secret (loaded), the SENS service id. */
export interface TextVendorAccount {
  readonly accountId: string;
  readonly secret: string;
  readonly serviceId?: string;
}

/**
 * The account a text vendor's adapter authenticates with: the simulator's generated one when it
 * sends to the simulator, else the definition's `accountId`, `serviceId` and the secret its
 * `credentials` name (vendor-definition-rules.ts has made sure they are there).
 */
export function textAccountOf(
  id: string,
  settings: VendorSettings,
  deployment: FleetDeployment,
): TextVendorAccount {
  if (settings.kind === undefined || !isTextVendorKind(settings.kind)) {
    throw new Error(`vendor ${id} is not a text vendor`);
  }
  const text = settings as TextVendorSettings;
  if (!sendsToSimulator(text)) {
    if (!text.accountId || !text.credentials) {
      throw new VendorSecretError(id, 'accountId and credentials are required for a real endpoint');
    }
    const secret = loadTextSecret(id, text.credentials, deployment.secrets);
    return { accountId: text.accountId, secret, ...(text.serviceId ? { serviceId: text.serviceId } : {}) };
  }
  const generated = deployment.simulatorCredentials?.text[id];
  if (!generated) throw new VendorSecretError(id, 'no generated simulator account exists for it');
  const { accountId, secret, serviceId } = generated;
  return { accountId, secret, ...(serviceId ? { serviceId } : {}) };
}

/**
 * Where a text vendor's adapter sends: `<simulator>/<vendorId>` (the simulator serves each vendor
 * under its id), or the definition's https origin.
 */
export function textBaseUrlOf(id: string, settings: VendorSettings, deployment: FleetDeployment): string {
  return sendsToSimulator(settings)
    ? `${simulatorUrlOf(id, deployment)}/${encodeURIComponent(id)}`
    : endpointOf(settings);
}
