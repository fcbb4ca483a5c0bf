/**
 * Apple's rules for the APNs request headers a client may influence (developer.apple.com, "Sending
 * notification requests to APNs"): the API checks a request's `push.apns.headers` against them, and
 * the APNs simulator refuses what Apple refuses by the same list.
 */
export const APNS_PUSH_TYPES = [
  'alert',
  'background',
  'location',
  'voip',
  'complication',
  'fileprovider',
  'mdm',
  'liveactivity',
  'pushtotalk',
  'widgets',
  'controls',
] as const;

/** `apns-priority`: 10 at once, 5 power-considerate (required for background), 1 lowest. */
export const APNS_PRIORITIES: readonly string[] = ['1', '5', '10'];

export const APNS_COLLAPSE_ID_MAX_BYTES = 64;
