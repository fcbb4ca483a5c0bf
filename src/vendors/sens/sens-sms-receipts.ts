import { createHash } from 'node:crypto';
import type { Channel } from '../../core/domain/channel.ts';
import type { DeliveryCheck, ReceiptLookup, ReceiptQuery } from '../../ports/vendor.ts';
import type { SensClient } from './sens-client.ts';
import { sensCarrierOf } from './sens-telco.ts';
import { parseSensTime } from './sens-text.ts';

/**
 * SENS SMS answers a send with a requestId only; its messages get their ids later. So herald's
 * vendorMessageId of a SENS SMS is `${requestId}:${tag}:${n}`: the requestId, a tag of the
 * recipient's number (a hash: no phone number in an id that history and logs keep) and which
 * occurrence of that number in the call it is (1 unless one call carries the same number twice).
 * The look-up finds each message again by its number in the request's list.
 */
export function sensSmsMessageIds(requestId: string, recipients: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return recipients.map((to) => {
    const tag = recipientTag(to);
    const n = (seen.get(tag) ?? 0) + 1;
    seen.set(tag, n);
    return `${requestId}:${tag}:${n}`;
  });
}

function recipientTag(to: string): string {
  return createHash('sha256').update(to.replace(/\D/g, '')).digest('hex').slice(0, 16);
}

/**
 * SENS' result look-up (https://api.ncloud-docs.com/docs/sens-sms-list, …/sens-sms-get):
 *
 *   GET /sms/v2/services/{serviceId}/messages?requestId=...&pageSize=100
 *   -> {"requestId","statusCode":"202","statusName":"success","messages":[{"messageId",
 *        "requestTime","contentType","countryCode","from","to"}],"pageIndex","pageSize","itemCount","hasMore"}
 *   GET /sms/v2/services/{serviceId}/messages/{messageId}
 *   -> {"statusCode":"202","statusName":"success","messages":[{"requestId","messageId","to",
 *        "status":"READY"|"PROCESSING"|"COMPLETED","statusCode":"0"|<carrier's code>,
 *        "statusName":"success"|"fail","statusMessage","completeTime","telcoCode":"SKT"|"KT"|"LGT"}]}
 *
 * One list call per requestId, then one result call per message asked for: a lookUp of n ids of one
 * request costs 1 + n calls, each made (paced, timed out) through the lane's VendorCall, side by
 * side (the pacer orders them). A failed call leaves only its own messages pending. SENS has
 * no date search for messages of many requests, so send times are not used. A message not
 * COMPLETED is pending (left out).
 */
export const SENS_RECEIPT_LIMITS = {
  /** A SENS request holds at most 100 messages; 20 ids keep one lookUp to about 21 calls. */
  maxIdsPerCall: 20,
  /**
   * NAVER's API Gateway documents no SENS look-up rate. 100 requests a second is what herald made
   * when it paced whole lookUps (5 a second of about 21 requests each), now counted per request.
   */
  callsPerSecond: 100,
} as const;

/** SENS documents no delivery timeout of its own: the carriers' (as NHN states them), SMS 25 h, LMS/MMS 80 h. */
export function sensDeliveryTimeoutMs(channel: Channel): number {
  return (channel === 'sms' ? 25 : 80) * 3_600_000;
}

const LIST_PAGE_SIZE = 100;

export function createSensReceiptLookup(client: SensClient, now: () => number): ReceiptLookup {
  const base = client.servicePath('sms');
  return {
    ...SENS_RECEIPT_LIMITS,
    deliveryTimeoutMs: sensDeliveryTimeoutMs,
    async lookUp(queries, call) {
      const found = new Map<string, DeliveryCheck>();
      const asked: { results: number; failed?: { error: unknown } } = { results: 0 };
      // Each request on its own: one that fails (a time limit, a 429 mid-look-up) leaves its
      // messages pending for the next round instead of throwing away what the others answered.
      const attempt = async <T>(request: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> => {
        try {
          return await call(request);
        } catch (error) {
          asked.failed ??= { error };
          return undefined;
        }
      };
      await Promise.all(
        [...byRequest(queries)].map(async ([requestId, wanted]) => {
          const list = await attempt((signal) =>
            client.call(
              'GET',
              `${base}/messages?requestId=${encodeURIComponent(requestId)}&pageSize=${LIST_PAGE_SIZE}`,
              signal,
            ),
          );
          if (list === undefined) return;
          const listed = messagesOf(list.body);
          const ids = sensSmsMessageIds(
            requestId,
            listed.map((message) => String(message.to ?? '')),
          );
          await Promise.all(
            listed.map(async (message, index) => {
              const id = ids[index]!;
              const messageId = message.messageId;
              if (!wanted.has(id) || typeof messageId !== 'string') return;
              const result = await attempt((signal) =>
                client.call('GET', `${base}/messages/${encodeURIComponent(messageId)}`, signal),
              );
              if (result === undefined) return;
              asked.results += 1;
              const check = sensSmsCheckOf(messagesOf(result.body)[0], now());
              if (check.state !== 'pending') found.set(id, check);
            }),
          );
        }),
      );
      // No message's result came back (SENS down, credentials refused, throttled): the look-up
      // failed as a whole, so the lane waits what a 429 asked and gives its messages the grace a
      // vendor that cannot be asked gets at their deadline.
      if (asked.results === 0 && asked.failed) throw asked.failed.error;
      return found;
    },
  };
}

/** The ids by requestId; an id not of herald's SENS shape (an older bare requestId) is never found. */
function byRequest(queries: readonly ReceiptQuery[]): Map<string, Set<string>> {
  const groups = new Map<string, Set<string>>();
  for (const { vendorMessageId: id } of queries) {
    const match = /^([^:]+):[0-9a-f]{16}:\d+$/.exec(id);
    if (match === null) continue;
    const group = groups.get(match[1]!) ?? new Set<string>();
    groups.set(match[1]!, group);
    group.add(id);
  }
  return groups;
}

function messagesOf(body: unknown): Record<string, unknown>[] {
  const messages = (body as { messages?: unknown } | undefined)?.messages;
  return Array.isArray(messages)
    ? messages.filter(
        (message): message is Record<string, unknown> => typeof message === 'object' && message !== null,
      )
    : [];
}

/**
 * One message's result: COMPLETED with statusCode "0" (statusName success) is delivered; COMPLETED
 * with another code is not, for good (an SMS has no fallback); READY or PROCESSING is pending.
 */
export function sensSmsCheckOf(message: Record<string, unknown> | undefined, nowMs: number): DeliveryCheck {
  if (message === undefined || message.status !== 'COMPLETED') return { state: 'pending' };
  const at = parseSensTime(message.completeTime) ?? nowMs;
  const code = typeof message.statusCode === 'string' ? message.statusCode : String(message.statusCode ?? '');
  const carrier = sensCarrierOf(message.telcoCode);
  if (code === '0' || (code === '' && message.statusName === 'success')) {
    return { state: 'delivered', at, code: code || '0', carrier };
  }
  const text = [message.statusMessage, message.statusName].find(
    (value) => typeof value === 'string' && value !== '',
  );
  return {
    state: 'undelivered',
    at,
    code: code || 'FAIL',
    message: String(text ?? code),
    fallback: false,
    carrier,
  };
}
