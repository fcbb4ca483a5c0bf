/**
 * What a push message carries besides its title (`content.subject`) and body (`content.body`): the
 * FCM HTTP v1 / APNs options a client may set, in herald's own camelCase shape. The FCM adapter
 * renders them as `message.notification.image`, `message.data`, `message.android`,
 * `message.apns` and `message.webpush`; the APNs adapter as headers and the `aps` payload. Given
 * once per request (every recipient gets the same options); travels in the envelope.
 */
export interface PushOptions {
  /** Notification image URL (https). FCM `notification.image`; APNs `fcm_options.image` / mutable-content. */
  readonly image?: string;
  /** Custom key-value data for the app: strings only (FCM's rule). APNs: top-level payload keys. */
  readonly data?: Readonly<Record<string, string>>;
  readonly android?: {
    /** FCM `android.priority`: `high` wakes the device. */
    readonly priority?: 'normal' | 'high';
    /** FCM `android.ttl`, seconds; defaults to the time left until the message's expiry. */
    readonly ttlSeconds?: number;
    /** FCM `android.collapse_key`. */
    readonly collapseKey?: string;
  };
  readonly apns?: {
    /** Extra APNs headers (`apns-priority`, `apns-push-type`, `apns-collapse-id`...). */
    readonly headers?: Readonly<Record<string, string>>;
    /** Merged into the APNs payload (`aps` fields such as badge, sound, thread-id; custom keys). */
    readonly payload?: Readonly<Record<string, unknown>>;
  };
  readonly webpush?: {
    readonly headers?: Readonly<Record<string, string>>;
    readonly data?: Readonly<Record<string, string>>;
    readonly notification?: Readonly<Record<string, unknown>>;
    /** FCM `webpush.fcm_options.link`: opened on click. */
    readonly link?: string;
  };
  /**
   * Dry run: FCM `validate_only` (the message is checked, not delivered). APNs has no dry run: an
   * APNs message with validateOnly is checked by herald and not sent.
   */
  readonly validateOnly?: boolean;
}

/** What a push adapter receives with an OutboundMessage on channel push. */
export interface PushDelivery {
  readonly provider: 'fcm' | 'apns';
  /** The device's app (APNs topic = bundle id; FCM: restricted package name is not set from it). */
  readonly app?: string;
  /** Notification title: the request's `content.subject`. Absent: a body-only notification. */
  readonly title?: string;
  readonly options: PushOptions;
  /** Epoch ms after which the push service must not deliver it (apns-expiration, android ttl). */
  readonly expiresAt: number;
}
