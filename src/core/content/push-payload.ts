import type { PushOptions } from '../domain/push-message.ts';

/**
 * FCM refuses a message whose payload is over 4096 bytes, and APNs a notification over 4096 bytes
 * (5120 for VoIP); reference/vendor-contracts.md §1 and §3. herald holds every push to 4096.
 */
export const PUSH_PAYLOAD_MAX_BYTES = 4096;

/**
 * What herald adds to every push besides the client's fields: its message id (a 36-character UUID)
 * under `data.herald_message_id`, and the JSON around it.
 */
const HERALD_FIELDS_BYTES = 64;

/**
 * The size of a push as the push service counts it: the JSON of the notification (title, body,
 * image), the data and every platform section the client gave, UTF-8, plus room for herald's own
 * fields. An FCM message carries all of them (its apns and webpush sections travel with it), so
 * this is the larger of what FCM and APNs receive: a push that fits here fits both.
 */
export function pushPayloadBytes(title: string | undefined, body: string, options: PushOptions = {}): number {
  const { validateOnly: _validateOnly, image, ...sections } = options;
  const notification = { title, body, image };
  return Buffer.byteLength(JSON.stringify({ notification, ...sections })) + HERALD_FIELDS_BYTES;
}
