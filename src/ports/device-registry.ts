import type { PushProvider } from '../core/domain/push-provider.ts';

/**
 * Device registry port: the push tokens of each client's users, so a client can send to
 * `{"userId"}` and herald fans the message out to every live device of that user.
 *
 * A token is personal data and a credential of sorts (whoever has it can push to the device): it is
 * stored for sending, looked up by its keyed hash (`tokenHash`, HMAC with the recipient-hash
 * secret, see core/identity/recipient-privacy.ts), never logged, and returned in clear only to the
 * worker that sends to it (`liveDevicesOf`). API answers show it masked.
 *
 * Everything is per client: one client's user "42" is not another's, and a token registered by two
 * clients is two rows. Deliberately left out: driver types, pagination (a user has a handful of
 * devices), and what a user id means (herald stores it as the client gives it).
 */
export const DEVICE_PLATFORMS = ['android', 'ios', 'web'] as const;
export type DevicePlatform = (typeof DEVICE_PLATFORMS)[number];

export interface DeviceRegistration {
  readonly clientId: string;
  readonly token: string;
  readonly tokenHash: string;
  readonly provider: PushProvider;
  readonly platform: DevicePlatform;
  /** The app the token belongs to: for APNs the bundle id (the apns-topic), for FCM the package. */
  readonly app: string;
  /** Absent: the device is registered but belongs to no user (sendable by token only). */
  readonly userId?: string;
}

/** A device as the API shows it: the token masked, never in clear. */
export interface DeviceView {
  readonly tokenMasked: string;
  readonly tokenHash: string;
  readonly provider: PushProvider;
  readonly platform: DevicePlatform;
  readonly app: string;
  readonly userId: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** When the push service said the token is dead; null while it is live. */
  readonly deadAt: number | null;
  /** The vendor's reason (`UNREGISTERED`, `Unregistered`...), null while live. */
  readonly deadReason: string | null;
}

/** A live device as the worker needs it to send: the token in clear. */
export interface LiveDevice {
  readonly token: string;
  readonly tokenHash: string;
  readonly provider: PushProvider;
  readonly platform: DevicePlatform;
  readonly app: string;
}

export interface DeviceRegistry {
  /**
   * Registers or updates the device (by client and token hash). Registering a token again makes it
   * live again (the app got it anew from the push service) and moves it to the given user; without
   * a user id it belongs to no user from then on (the registration is replaced, not merged).
   * Answers with the device as stored, for the API's reply.
   */
  put(
    device: DeviceRegistration,
    now: number,
  ): Promise<{ readonly outcome: 'created' | 'updated'; readonly device: DeviceView }>;
  /** Removes the device; false when the client had no such token. */
  remove(clientId: string, tokenHash: string): Promise<boolean>;
  /** Every device of the user, live and dead, oldest first. */
  listForUser(clientId: string, userId: string): Promise<DeviceView[]>;
  /**
   * The live devices of each user, for sending (one round trip for a whole batch of user ids).
   * A user without live devices maps to an empty array.
   */
  liveDevicesOf(clientId: string, userIds: readonly string[]): Promise<Map<string, LiveDevice[]>>;
  /**
   * Marks tokens dead because the push service said so (FCM UNREGISTERED, APNs 410). Unknown
   * hashes are ignored (a token sent directly need not be registered). Idempotent: a dead device
   * keeps the time and reason of its first death. A device registered again after `at` stays live
   * (the app got the token anew after the push service's verdict; APNs' 410 timestamp says the same).
   */
  markDead(
    clientId: string,
    deaths: readonly { readonly tokenHash: string; readonly reason: string }[],
    at: number,
  ): Promise<void>;
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}
