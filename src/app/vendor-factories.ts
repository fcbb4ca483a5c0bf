import { SIMULATOR_PUSH_PROVIDERS } from '../config/default-remote-config.ts';
import { endpointOf, isTextVendorKind, sendsToSimulator } from '../config/vendor-definitions.ts';
import {
  loadApnsKey,
  loadServiceAccount,
  loadTextSecret,
  type SecretSource,
  type ServiceAccountKey,
  VendorSecretError,
} from '../config/vendor-secrets.ts';
import type { Channel } from '../core/domain/channel.ts';
import type {
  TextVendorSettings,
  VendorDefinitionKind,
  VendorSettings,
} from '../core/domain/remote-config.ts';
import type { Vendor } from '../ports/vendor.ts';
import type { SimulatorCredentials } from '../simulators/push-credentials/push-credentials.ts';
import { createApnsVendor } from '../vendors/apns/apns-vendor.ts';
import { createFcmVendor } from '../vendors/fcm/fcm-vendor.ts';
import { parseServiceAccount } from '../vendors/fcm/service-account.ts';
import { createSimulatorVendor } from '../vendors/http-simulator-vendor.ts';
import { nhnAlimtalkFactory } from '../vendors/nhn-alimtalk/nhn-alimtalk-factory.ts';
import { nhnSmsFactory } from '../vendors/nhn-sms/nhn-sms-factory.ts';

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
}

/**
 * Builds a vendor's adapters from its definition, in two steps: the factory loads and checks what
 * the adapter needs (its secrets) once, and throws VendorSecretError naming the vendor and the
 * file or variable if it cannot; the builder it returns then makes one adapter per lane (each lane
 * its own connections).
 */
export type VendorFactory = (definition: VendorDefinition, deployment: FleetDeployment) => () => Vendor;

/** The simulator's generic contract, over HTTP/1.1 (sms, kakao, email, vms). */
const simulatorFactory: VendorFactory = ({ id, channels }, deployment) => {
  const baseUrl = simulatorUrlOf(id, deployment);
  const pushProvider = SIMULATOR_PUSH_PROVIDERS[id];
  return () => createSimulatorVendor({ id, channels, baseUrl, ...(pushProvider ? { pushProvider } : {}) });
};

/**
 * FCM HTTP v1 over HTTP/2 (src/vendors/fcm). At the simulator: its generated service account, the
 * vendor's h2c route as base URL (`<sim>/<vendorId>`) and its token endpoint (the key file names
 * Google's, as a real one does); elsewhere the referenced key file and the endpoint's origin.
 */
const fcmFactory: VendorFactory = ({ id, settings }, deployment) => {
  if (settings.kind !== 'fcm') throw new Error(`vendor ${id} is not of kind fcm`);
  const key = serviceAccountOf(id, settings, deployment);
  const serviceAccount = parseServiceAccount(JSON.stringify(key), `the service account of vendor ${id}`);
  const simulatorUrl = sendsToSimulator(settings) ? simulatorUrlOf(id, deployment) : undefined;
  const target = simulatorUrl
    ? { baseUrl: `${simulatorUrl}/${id}`, tokenUrl: `${simulatorUrl}/oauth2/token` }
    : { baseUrl: endpointOf(settings) };
  const projectId = settings.projectId;
  return () => createFcmVendor({ id, serviceAccount, ...target, ...(projectId ? { projectId } : {}) });
};

/** APNs over HTTP/2 with a provider token (src/vendors/apns), at the simulator or Apple's host. */
const apnsFactory: VendorFactory = ({ id, settings }, deployment) => {
  if (settings.kind !== 'apns') throw new Error(`vendor ${id} is not of kind apns`);
  const { privateKeyPem, keyId, teamId, topic } = apnsKeyOf(id, settings, deployment);
  const baseUrl = sendsToSimulator(settings)
    ? `${simulatorUrlOf(id, deployment)}/${id}`
    : endpointOf(settings);
  const { environment } = settings;
  return () =>
    createApnsVendor({
      id,
      keyId,
      teamId,
      privateKeyPem,
      environment,
      baseUrl,
      ...(topic ? { defaultTopic: topic } : {}),
    });
};

/** The adapters this build has, by kind; a kind without one is reported unbuilt at /health. */
export const VENDOR_FACTORIES: Readonly<Partial<Record<VendorDefinitionKind, VendorFactory>>> = {
  simulator: simulatorFactory,
  fcm: fcmFactory,
  apns: apnsFactory,
  'nhn-alimtalk': (definition, deployment) => nhnAlimtalkFactory(definition, deployment),
  'nhn-sms': nhnSmsFactory,
};

function simulatorUrlOf(id: string, deployment: FleetDeployment): string {
  if (deployment.simulatorUrl === undefined) {
    throw new VendorSecretError(id, 'its endpoint is the simulator, and none runs (HERALD_SIMULATORS=off)');
  }
  return deployment.simulatorUrl;
}

/** The service account an fcm vendor signs with: the generated one at the simulator, else the referenced file or variable. */
export function serviceAccountOf(
  id: string,
  settings: VendorSettings,
  deployment: FleetDeployment,
): ServiceAccountKey {
  if (settings.kind !== 'fcm') throw new Error(`vendor ${id} is not of kind fcm`);
  if (settings.credentials) return loadServiceAccount(id, settings.credentials, deployment.secrets);
  const generated = deployment.simulatorCredentials?.fcm[id];
  if (!generated) throw new VendorSecretError(id, 'no generated simulator service account exists for it');
  return generated.account;
}

/** The .p8 key, key id, team and default topic an apns vendor signs with. */
export function apnsKeyOf(
  id: string,
  settings: VendorSettings,
  deployment: FleetDeployment,
): { privateKeyPem: string; keyId: string; teamId: string; topic: string | undefined } {
  if (settings.kind !== 'apns') throw new Error(`vendor ${id} is not of kind apns`);
  if (settings.key && settings.keyId && settings.teamId) {
    const privateKeyPem = loadApnsKey(id, settings.key, deployment.secrets);
    return { privateKeyPem, keyId: settings.keyId, teamId: settings.teamId, topic: settings.topic };
  }
  const generated = deployment.simulatorCredentials?.apns[id];
  if (!generated) throw new VendorSecretError(id, 'no generated simulator key exists for it');
  const { privateKeyPem, keyId, teamId, topic } = generated;
  return { privateKeyPem, keyId, teamId, topic: settings.topic ?? topic };
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
