import type { TextVendorKind } from '../../core/domain/remote-config.ts';

/**
 * What a simulated Korean text vendor knows of herald's account there, to check each call the way
 * the vendor does: NHN the appKey in the path and the X-Secret-Key header, SENS the access key and
 * the HMAC signature made with the secret key (and the service id in the path), SOLAPI the API key
 * and the HMAC signature made with the API secret.
 */
export interface TextVendorTrust {
  readonly kind: TextVendorKind;
  /** NHN appKey, SENS access key id, SOLAPI API key. */
  readonly accountId: string;
  /** NHN secret key, SENS secret key, SOLAPI API secret. */
  readonly secret: string;
  /** SENS: the service id in the path. */
  readonly serviceId?: string;
}

/** By vendor id (nhn-sms, sens-alimtalk...). A text vendor without an entry refuses every call as unauthorised. */
export type TextTrust = Readonly<Record<string, TextVendorTrust>>;

/** The simulator's Korean text vendors: id -> the vendor contract it speaks (the ids are the kinds). */
export const SIMULATOR_TEXT_VENDORS: Readonly<Record<string, TextVendorKind>> = {
  'nhn-sms': 'nhn-sms',
  'sens-sms': 'sens-sms',
  'solapi-sms': 'solapi-sms',
  'nhn-alimtalk': 'nhn-alimtalk',
  'sens-alimtalk': 'sens-alimtalk',
  'solapi-alimtalk': 'solapi-alimtalk',
  'solapi-vms': 'solapi-vms',
};

/** Which text contract a simulated vendor speaks: its trust entry's kind, else the default id's. */
export function textContractOf(vendorId: string, trust: TextTrust): TextVendorKind | undefined {
  if (Object.hasOwn(trust, vendorId)) return trust[vendorId]!.kind;
  return Object.hasOwn(SIMULATOR_TEXT_VENDORS, vendorId) ? SIMULATOR_TEXT_VENDORS[vendorId] : undefined;
}
