import { SIMULATOR_PUSH_PROVIDERS } from '../config/default-remote-config.ts';
import { endpointOf, sendsToSimulator } from '../config/vendor-definitions.ts';
import {
  loadApnsKey,
  loadServiceAccount,
  type ServiceAccountKey,
  VendorSecretError,
} from '../config/vendor-secrets.ts';
import type { VendorDefinitionKind, VendorSettings } from '../core/domain/remote-config.ts';
import { createApnsVendor } from '../vendors/apns/apns-vendor.ts';
import { createFcmVendor } from '../vendors/fcm/fcm-vendor.ts';
import { parseServiceAccount } from '../vendors/fcm/service-account.ts';
import { createSimulatorVendor } from '../vendors/http-simulator-vendor.ts';
import { nhnAlimtalkFactory } from '../vendors/nhn-alimtalk/nhn-alimtalk-factory.ts';
import { nhnSmsFactory } from '../vendors/nhn-sms/nhn-sms-factory.ts';
import { sensAlimtalkFactory, sensSmsFactory } from '../vendors/sens/sens-factories.ts';
import { sesFactory } from '../vendors/ses/ses-factory.ts';
import { smtpFactory } from '../vendors/smtp/smtp-factory.ts';
import {
  solapiAlimtalkFactory,
  solapiSmsFactory,
  solapiVmsFactory,
} from '../vendors/solapi/solapi-factories.ts';
import { type FleetDeployment, simulatorUrlOf, type VendorFactory } from './vendor-factory.ts';

export type { FleetDeployment, SmtpAddress, VendorDefinition, VendorFactory } from './vendor-factory.ts';
export { simulatorUrlOf, textAccountOf, textBaseUrlOf } from './vendor-factory.ts';

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
  'sens-sms': sensSmsFactory,
  'sens-alimtalk': sensAlimtalkFactory,
  'solapi-sms': solapiSmsFactory,
  'solapi-alimtalk': solapiAlimtalkFactory,
  'solapi-vms': solapiVmsFactory,
  'nhn-sms': nhnSmsFactory,
  'nhn-alimtalk': nhnAlimtalkFactory,
  smtp: smtpFactory,
  ses: sesFactory,
};

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
