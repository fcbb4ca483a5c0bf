import type { PushProvider } from '../core/domain/push-provider.ts';

/** What the FCM simulator knows of a project's service account: enough to check its OAuth grants. */
export interface FcmTrust {
  readonly projectId: string;
  /** The service account's client_email: the `iss` of its JWT-bearer assertions. */
  readonly clientEmail: string;
  /** SPKI PEM of the service account's RSA key (a private key PEM works too: its public half is used). */
  readonly publicKeyPem: string;
}

/** What the APNs simulator knows of a provider key (checked by the APNs wire contract). */
export interface ApnsTrust {
  readonly teamId: string;
  readonly keyId: string;
  /** SPKI PEM of the EC P-256 key (a private .p8 PEM works too). */
  readonly publicKeyPem: string;
  /** Bundle ids this key may push to; absent: any topic. */
  readonly topics?: readonly string[];
}

/**
 * The credentials the simulator checks, per vendor id, as the real services would check them.
 * Only public halves are needed; the simulator never signs anything with them.
 */
export interface PushTrust {
  readonly fcm?: Readonly<Record<string, FcmTrust>>;
  readonly apns?: Readonly<Record<string, ApnsTrust>>;
}

/** The simulated vendors that speak a push service's real contract by default. */
const PUSH_CONTRACT_BY_ID: Readonly<Record<string, PushProvider>> = {
  fcm: 'fcm',
  'fcm-b': 'fcm',
  apns: 'apns',
  'apns-b': 'apns',
};

/**
 * Which push contract a simulated vendor speaks over HTTP/2: the default ids (fcm, fcm-b, apns,
 * apns-b), or any id the trust names under fcm or apns; undefined for the generic vendors.
 */
export function pushContractOf(vendorId: string, trust: PushTrust): PushProvider | undefined {
  if (trust.fcm !== undefined && Object.hasOwn(trust.fcm, vendorId)) return 'fcm';
  if (trust.apns !== undefined && Object.hasOwn(trust.apns, vendorId)) return 'apns';
  return Object.hasOwn(PUSH_CONTRACT_BY_ID, vendorId) ? PUSH_CONTRACT_BY_ID[vendorId] : undefined;
}
