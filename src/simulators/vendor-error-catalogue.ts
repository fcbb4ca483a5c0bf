import { SIMULATOR_VENDOR_CHANNELS } from '../config/default-remote-config.ts';
import type { Channel } from '../core/domain/channel.ts';
import type { RandomSource } from './seeded-random.ts';

/**
 * An error a simulated vendor answers with, in the generic simulator contract: an HTTP status and a
 * machine-readable code. 429 is not in here: rate limiting is its own behaviour, driven by a token
 * bucket rather than by chance.
 */
export interface SimulatedError {
  /** 400..599, except 429. */
  readonly status: number;
  readonly code: string;
  /** Relative frequency among the vendor's errors (any positive number). */
  readonly weight: number;
}

/** Families of vendors that fail in their own ways; each has its own catalogue of errors. */
export type VendorKind = 'push' | 'sms' | 'kakao' | 'email' | 'vms' | 'generic';

/**
 * Real-ish errors per vendor kind, with the real vendor's code each one stands for. The weights
 * follow the talk's observation that most failures are transient on the vendor's side, while a
 * steady share is a dead recipient (unregistered token, not a KakaoTalk user, no such mailbox).
 */
export const ERROR_CATALOGUES: Readonly<Record<VendorKind, readonly SimulatedError[]>> = {
  push: [
    { status: 503, code: 'UNAVAILABLE', weight: 4 }, // FCM UNAVAILABLE, APNs 503 ServiceUnavailable
    { status: 500, code: 'INTERNAL', weight: 2 }, // FCM INTERNAL, APNs 500 InternalServerError
    { status: 404, code: 'UNREGISTERED', weight: 3 }, // FCM UNREGISTERED, APNs 410 Unregistered
    { status: 400, code: 'INVALID_ARGUMENT', weight: 1 }, // FCM INVALID_ARGUMENT (payload)
  ],
  sms: [
    { status: 500, code: 'SERVER_ERROR', weight: 3 },
    { status: 503, code: 'SERVICE_UNAVAILABLE', weight: 2 },
    { status: 400, code: 'INVALID_RECIPIENT', weight: 3 }, // NHN -2019 invalid recipientNo
    { status: 400, code: 'UNSUPPORTED_CHARACTERS', weight: 1 }, // NHN -2023
  ],
  kakao: [
    { status: 500, code: 'SERVER_ERROR', weight: 3 },
    { status: 503, code: 'SERVICE_UNAVAILABLE', weight: 1 },
    { status: 400, code: 'INVALID_RECIPIENT', weight: 1 }, // Kakao 3008 phone number error
    { status: 404, code: 'UNREGISTERED', weight: 3 }, // Kakao 3019 not a KakaoTalk user
    { status: 400, code: 'TEMPLATE_MISMATCH', weight: 1 }, // Kakao 3016 content does not match
  ],
  email: [
    { status: 503, code: 'SERVICE_UNAVAILABLE', weight: 3 }, // SMTP 421 / 451
    { status: 500, code: 'SERVER_ERROR', weight: 1 },
    { status: 400, code: 'INVALID_RECIPIENT', weight: 3 }, // SMTP 550 5.1.1 no such mailbox
    { status: 400, code: 'MESSAGE_REJECTED', weight: 1 }, // SMTP 554 5.7.1 refused as spam
  ],
  vms: [
    { status: 500, code: 'SERVER_ERROR', weight: 2 },
    { status: 503, code: 'SERVICE_UNAVAILABLE', weight: 1 },
    { status: 400, code: 'INVALID_RECIPIENT', weight: 2 },
  ],
  generic: [
    { status: 500, code: 'SERVER_ERROR', weight: 2 },
    { status: 503, code: 'SERVICE_UNAVAILABLE', weight: 1 },
    { status: 400, code: 'INVALID_RECIPIENT', weight: 1 },
  ],
};

const KIND_BY_CHANNEL: Readonly<Record<Channel, VendorKind>> = {
  push: 'push',
  sms: 'sms',
  lms: 'sms',
  mms: 'sms',
  alimtalk: 'kakao',
  email: 'email',
  vms: 'vms',
};

/** The kind of a simulator vendor id from SIMULATOR_VENDOR_CHANNELS; any other id is `generic`. */
export function vendorKindOf(vendorId: string): VendorKind {
  const channels: readonly Channel[] | undefined =
    SIMULATOR_VENDOR_CHANNELS[vendorId as keyof typeof SIMULATOR_VENDOR_CHANNELS];
  const first = channels?.[0];
  return first === undefined ? 'generic' : KIND_BY_CHANNEL[first];
}

/** Picks one error with probability proportional to its weight. `errors` must not be empty. */
export function pickError(errors: readonly SimulatedError[], random: RandomSource): SimulatedError {
  const total = errors.reduce((sum, error) => sum + error.weight, 0);
  let remaining = random() * total;
  for (const error of errors) {
    remaining -= error.weight;
    if (remaining < 0) return error;
  }
  // Floating-point rounding can leave a sliver past the last weight.
  return errors[errors.length - 1]!;
}
