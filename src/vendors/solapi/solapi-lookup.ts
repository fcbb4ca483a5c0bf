import type { Channel } from '../../core/domain/channel.ts';
import type { DeliveryCheck, ReceiptLookup } from '../../ports/vendor.ts';
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

/**
 * SOLAPI's message list for many messages at once (solapi-nodejs getMessages: `messageIds` as
 * `messageIds[0]=...&messageIds[1]=...`, stringifyQuery with indices; docs getMessageList.md):
 *
 *   GET /messages/v4/list?messageIds[0]=M4V...&messageIds[1]=M4V...&limit=2
 *   -> {"startKey","nextKey","limit","messageList":{"M4V...":{"statusCode":"4000","reason",
 *        "networkName","networkCode","dateReceived",...}}}
 *
 * A message still on its way (2000, 3000) or not listed is left out: pending.
 */
export const SOLAPI_RECEIPT_LIMITS = {
  /** SOLAPI documents no cap on messageIds; 100 a call keeps the query well under URL limits. */
  maxIdsPerCall: 100,
  /** SOLAPI documents no rate for its look-ups: 10 calls a second is our conservative choice. */
  callsPerSecond: 10,
} as const;

/**
 * How long SOLAPI keeps trying: it documents no delivery timeout of its own, so herald uses the
 * carriers' (as NHN states them): SMS 25 h, LMS/MMS 80 h.
 */
export function solapiDeliveryTimeoutMs(channel: Channel): number {
  return (channel === 'sms' ? 25 : 80) * 3_600_000;
}

export function createSolapiReceiptLookup(api: SolapiApi, now: () => number = Date.now): ReceiptLookup {
  return {
    ...SOLAPI_RECEIPT_LIMITS,
    deliveryTimeoutMs: solapiDeliveryTimeoutMs,
    async lookUp(queries, call) {
      const found = new Map<string, DeliveryCheck>();
      if (queries.length === 0) return found;
      const vendorMessageIds = queries.map((query) => query.vendorMessageId);
      const query = vendorMessageIds
        .map((id, index) => `${encodeURIComponent(`messageIds[${index}]`)}=${encodeURIComponent(id)}`)
        .join('&');
      const body = (await call((signal) =>
        api.call('GET', `/messages/v4/list?${query}&limit=${vendorMessageIds.length}`, undefined, signal),
      )) as MessageListResponse | undefined;
      for (const id of vendorMessageIds) {
        const check = deliveryCheckOf(body?.messageList?.[id], now());
        if (check.state !== 'pending') found.set(id, check);
      }
      return found;
    },
  };
}
