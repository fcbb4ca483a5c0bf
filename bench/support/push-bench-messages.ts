import { randomBytes, randomUUID } from 'node:crypto';

/** One push of the bench: its own device token and herald-style message id. */
export interface BenchPush {
  readonly messageId: string;
  readonly token: string;
}

/** The notification both senders send (a typical delivery-app push; ~150 bytes of JSON). */
export const PUSH_TITLE = '주문하신 음식이 출발했어요';
export const PUSH_BODY = '도착 예정 시각은 12:30 입니다. 맛있게 드세요!';

/** Both senders give FCM the same per-message time limit: firebase-admin's own (FIREBASE_MESSAGING_TIMEOUT). */
export const PER_MESSAGE_TIMEOUT_MS = 15_000;

/**
 * `count` pushes to distinct device tokens, shaped like real FCM registration tokens (an instance
 * id, `:APA91b`, a long random tail: ~163 characters), so a sender pays for realistic header and
 * body sizes. The index is part of the token: distinct by construction, not by chance.
 */
export function benchPushes(count: number): BenchPush[] {
  const tail = randomBytes(100).toString('base64url');
  return Array.from({ length: count }, (_, index) => ({
    messageId: randomUUID(),
    token: `${index.toString(36).padStart(8, '0')}${randomBytes(10).toString('base64url').slice(0, 14)}:APA91b${tail}`,
  }));
}
