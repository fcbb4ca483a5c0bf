import { HeraldError } from '../../core/domain/errors.ts';
import type { OutboundMessage } from '../../core/domain/message.ts';
import type { DeliveryCheck, SendReceipt, Vendor } from '../../ports/vendor.ts';
import { JsonHttpClient, type JsonRequest, type JsonResponse } from '../http1/json-http-client.ts';
import { mapTransportError } from '../map-transport-error.ts';
import { mapNhnLookup, parseNhnMessageId } from './nhn-alimtalk-lookup.ts';
import {
  buildNhnAlimtalkSend,
  NHN_ALIMTALK_MAX_RECIPIENTS,
  nhnAlimtalkBulkKey,
  nhnAlimtalkPath,
  nhnHeaders,
  nhnIdempotencyKey,
} from './nhn-alimtalk-request.ts';
import { mapNhnSendResults } from './nhn-alimtalk-response.ts';
import { createNhnTemplateApi } from './nhn-alimtalk-templates.ts';

export interface NhnAlimtalkVendorOptions {
  readonly id: string;
  /** NHN's appkey of herald's KakaoTalk Bizmessage project (console: URL & Appkey). */
  readonly appKey: string;
  /** Its secret key (X-Secret-Key). */
  readonly secretKey: string;
  /** `https://kakaotalk-bizmessage.api.nhncloudservice.com`, or the simulator's `<sim>/<vendorId>`. */
  readonly baseUrl: string;
  /** Keep-alive connections (default: JsonHttpClient's). */
  readonly connections?: number;
  readonly closeGraceMs?: number;
}

/** A call that has an answer: its transport failures mapped (abort -> timeout, refused -> unavailable). */
export type NhnCall = (request: Omit<JsonRequest, 'signal'>, signal: AbortSignal) => Promise<JsonResponse>;

/**
 * The NHN Cloud AlimTalk v2.3 adapter: one substitution send per message on the realtime lane (the
 * message's idempotency key as X-NC-API-IDEMPOTENCY-KEY, NHN's own fallback turned off), or
 * (`bulk`, the batch lane) up to 1,000 messages of one sender key and template in one call, each
 * recipient's sendResults entry its message's receipt or refusal; Kakao's outcome
 * learnt later by the single-message look-up, and the template list and registration of a
 * sender key (nhn-alimtalk-templates.ts). HTTP/1.1 keep-alive, the caller's signal the only time
 * limit.
 */
export function createNhnAlimtalkVendor(options: NhnAlimtalkVendorOptions): Vendor {
  const { id, appKey, secretKey } = options;
  const client = new JsonHttpClient({
    baseUrl: options.baseUrl,
    ...(options.connections === undefined ? {} : { connections: options.connections }),
    ...(options.closeGraceMs === undefined ? {} : { closeGraceMs: options.closeGraceMs }),
  });
  const call: NhnCall = (request, signal) =>
    client.request({ ...request, signal }).catch((error: unknown) => {
      throw mapTransportError(id, error, signal);
    });

  /** One call for messages of one bulk key: one result per message, in order; a whole-call failure thrown. */
  const sendMany = async (messages: readonly OutboundMessage[], signal: AbortSignal) => {
    const json = buildNhnAlimtalkSend(id, messages);
    const response = await call(
      {
        method: 'POST',
        path: nhnAlimtalkPath(appKey, '/messages'),
        headers: nhnHeaders(secretKey, nhnIdempotencyKey(messages)),
        json,
      },
      signal,
    );
    const results = mapNhnSendResults(
      id,
      response,
      messages.map((message) => message.messageId),
    );
    if (results instanceof HeraldError) throw results;
    return results;
  };

  return {
    id,
    channels: ['alimtalk'],
    async send(message: OutboundMessage, signal: AbortSignal): Promise<SendReceipt> {
      const [result] = await sendMany([message], signal);
      if (result instanceof HeraldError) throw result;
      return result!;
    },
    bulk: {
      maxMessages: NHN_ALIMTALK_MAX_RECIPIENTS,
      groupKey: (message) => nhnAlimtalkBulkKey(id, message),
      sendMany,
    },
    async checkDelivery(vendorMessageId: string, signal: AbortSignal): Promise<DeliveryCheck> {
      const { requestId, recipientSeq } = parseNhnMessageId(vendorMessageId);
      const path = nhnAlimtalkPath(appKey, `/messages/${encodeURIComponent(requestId)}/${recipientSeq}`);
      const response = await call({ method: 'GET', path, headers: nhnHeaders(secretKey) }, signal);
      const result = mapNhnLookup(id, response);
      if (result instanceof HeraldError) throw result;
      return result;
    },
    templates: createNhnTemplateApi(id, appKey, secretKey, call),
    close: () => client.close(),
  };
}
