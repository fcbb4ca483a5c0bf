/** The delivery channels herald speaks. `sms` may upgrade itself to `lms` by EUC-KR byte length. */
export const CHANNELS = ['push', 'sms', 'lms', 'mms', 'alimtalk', 'email', 'vms'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Channels whose recipient (`to`) is a phone number. */
export const PHONE_CHANNELS: ReadonlySet<Channel> = new Set(['sms', 'lms', 'mms', 'alimtalk', 'vms']);

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (CHANNELS as readonly string[]).includes(value);
}
