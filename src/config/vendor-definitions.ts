import type { Channel } from '../core/domain/channel.ts';
import type { PushProvider } from '../core/domain/push-provider.ts';
import {
  type ApnsEnvironment,
  type RemoteConfigDocument,
  SIMULATOR_ENDPOINT,
  type SmtpVendorSettings,
  TEXT_VENDOR_KINDS,
  type TextVendorKind,
  type VendorDefinitionKind,
  type VendorSettings,
} from '../core/domain/remote-config.ts';
import type { VendorCatalogue } from '../ports/vendor.ts';
import { SIMULATOR_PUSH_PROVIDERS } from './default-remote-config.ts';

/**
 * Reading a vendor definition of the remote config (`vendors[id]`): its kind, where it sends, which
 * channels it serves. One place for the defaults, so the rules, the fleet and /health agree.
 */

/** FCM HTTP v1's origin (firebase-admin: FCM_SEND_HOST). */
export const FCM_ENDPOINT = 'https://fcm.googleapis.com';

/** APNs' origins (Apple, "Sending notification requests to APNs"). */
export const APNS_ENDPOINTS: Readonly<Record<ApnsEnvironment, string>> = {
  production: 'https://api.push.apple.com',
  sandbox: 'https://api.sandbox.push.apple.com',
};

/** The public API origins of the Korean text vendors (vendor-contracts.md §4). */
export const TEXT_VENDOR_ENDPOINTS: Readonly<Record<TextVendorKind, string>> = {
  'nhn-sms': 'https://sms.api.nhncloudservice.com',
  'nhn-alimtalk': 'https://kakaotalk-bizmessage.api.nhncloudservice.com',
  'sens-sms': 'https://sens.apigw.ntruss.com',
  'sens-alimtalk': 'https://sens.apigw.ntruss.com',
  'solapi-sms': 'https://api.solapi.com',
  'solapi-alimtalk': 'https://api.solapi.com',
  'solapi-vms': 'https://api.solapi.com',
};

/** The channels an adapter of each kind serves (a simulator vendor's come from the simulator). */
export const KIND_CHANNELS: Readonly<Record<Exclude<VendorDefinitionKind, 'simulator'>, readonly Channel[]>> =
  {
    fcm: ['push'],
    apns: ['push'],
    'nhn-sms': ['sms', 'lms', 'mms'],
    'sens-sms': ['sms', 'lms', 'mms'],
    'solapi-sms': ['sms', 'lms', 'mms'],
    'nhn-alimtalk': ['alimtalk'],
    'sens-alimtalk': ['alimtalk'],
    'solapi-alimtalk': ['alimtalk'],
    'solapi-vms': ['vms'],
    smtp: ['email'],
    ses: ['email'],
  };

export function isTextVendorKind(kind: VendorDefinitionKind): kind is TextVendorKind {
  return (TEXT_VENDOR_KINDS as readonly string[]).includes(kind);
}

/** Absent kind: a vendor of a document stored before kinds existed, all of them simulators. */
export function kindOf(settings: VendorSettings): VendorDefinitionKind {
  return settings.kind ?? 'simulator';
}

/** Where an fcm/apns vendor sends: `simulator` or an https origin (its default when unset). */
export function endpointOf(settings: VendorSettings): string {
  switch (settings.kind) {
    case 'fcm':
      return settings.endpoint ?? FCM_ENDPOINT;
    case 'apns':
      return settings.endpoint ?? APNS_ENDPOINTS[settings.environment];
    case undefined:
    case 'simulator':
      return SIMULATOR_ENDPOINT;
    case 'smtp':
      return settings.endpoint ?? `smtp://${settings.host ?? ''}:${smtpPortOf(settings)}`;
    case 'ses':
      return settings.endpoint ?? sesEndpointOf(settings.region ?? SES_DEFAULT_REGION);
    default:
      return settings.endpoint ?? TEXT_VENDOR_ENDPOINTS[settings.kind];
  }
}

/** SES v2's regional endpoint (AWS General Reference, Amazon SES endpoints). */
export function sesEndpointOf(region: string): string {
  return `https://email.${region}.amazonaws.com`;
}

/** Only for endpointOf of a definition the rules have not seen yet: a real ses vendor names its region. */
const SES_DEFAULT_REGION = 'us-east-1';

/** The port of an smtp vendor's relay: its own, else the TLS mode's submission port (587, or 465). */
export function smtpPortOf(settings: SmtpVendorSettings): number {
  return settings.port ?? (settings.tls === 'implicit' ? 465 : 587);
}

/** Whether the vendor's adapter talks to this deployment's simulator rather than a real service. */
export function sendsToSimulator(settings: VendorSettings): boolean {
  return endpointOf(settings) === SIMULATOR_ENDPOINT;
}

/** The push service an fcm/apns vendor delivers to; a simulator vendor's comes from its id. */
export function pushProviderOf(id: string, settings: VendorSettings): PushProvider | undefined {
  const kind = kindOf(settings);
  if (kind === 'simulator') return SIMULATOR_PUSH_PROVIDERS[id];
  return kind === 'fcm' || kind === 'apns' ? kind : undefined;
}

/** The channels of a vendor the document defines with a kind (not `simulator`). */
export function channelsOf(settings: VendorSettings): readonly Channel[] | undefined {
  const kind = kindOf(settings);
  return kind === 'simulator' ? undefined : KIND_CHANNELS[kind];
}

/**
 * What the remote config may route to: every vendor the simulator hosts (`simulated`, id ->
 * channels; empty when no simulator runs), unless the document gives it another kind, plus every
 * vendor of a real kind the document defines (fcm/apns: push; the text vendors: their channels). Whether an fcm/apns vendor pointed at
 * the simulator is one the simulator serves is a rule of its definition (vendor-definition-rules.ts).
 */
export function vendorCatalogue(document: RemoteConfigDocument, simulated: VendorCatalogue): VendorCatalogue {
  const catalogue = new Map<string, readonly Channel[]>(simulated);
  for (const [id, settings] of Object.entries(document.vendors)) {
    const channels = channelsOf(settings);
    if (channels) catalogue.set(id, channels);
  }
  return catalogue;
}

/**
 * The part of a definition its adapter is built from (everything but the time limit, breaker and
 * rate, which the pipeline reads per call): when this changes, the vendor's adapters are rebuilt.
 */
export function adapterKey(settings: VendorSettings): string {
  const {
    timeoutMs: _t,
    breakerThreshold: _b,
    breakerHalfOpenAfterMs: _h,
    maxPerSecond: _r,
    ...adapter
  } = settings;
  return JSON.stringify({ ...adapter, kind: kindOf(settings), endpoint: endpointOf(settings) }, sortedKeys);
}

function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
}
