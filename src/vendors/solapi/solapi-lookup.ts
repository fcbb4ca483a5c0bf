import type { DeliveryCheck } from '../../ports/vendor.ts';
import type { SolapiApi } from './solapi-api.ts';
import { deliveryCheckOf, type StoredSolapiMessage } from './solapi-status.ts';

/** GET /messages/v4/list's answer: messages keyed by their id (solapi-nodejs messageResponses.ts). */
interface MessageListResponse {
  readonly messageList?: Readonly<Record<string, StoredSolapiMessage>>;
}

/**
 * The message list look-up by message id (solapi-nodejs src/services/messages/messageService.ts
 * getMessages, `messages/v4/list?messageId=`): what SOLAPI (and Kakao or the carrier behind it)
 * reports of one message it accepted. A message not listed yet is still pending.
 */
export async function checkSolapiDelivery(
  api: SolapiApi,
  messageId: string,
  signal: AbortSignal,
  now: () => number = Date.now,
): Promise<DeliveryCheck> {
  const body = (await api.call(
    'GET',
    `/messages/v4/list?messageId=${encodeURIComponent(messageId)}`,
    undefined,
    signal,
  )) as MessageListResponse | undefined;
  return deliveryCheckOf(body?.messageList?.[messageId], now());
}
