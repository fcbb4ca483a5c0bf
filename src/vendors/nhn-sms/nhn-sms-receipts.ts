import type { Channel } from '../../core/domain/channel.ts';
import { HeraldError } from '../../core/domain/errors.ts';
import type { DeliveryCheck, ReceiptLookup } from '../../ports/vendor.ts';
import type { JsonHttpClient, JsonResponse } from '../http1/json-http-client.ts';
import { mapTransportError } from '../map-transport-error.ts';
import { nhnDeliveryOfRow } from './nhn-sms-delivery.ts';
import { NHN_MAX_RECIPIENTS, NHN_SMS_API } from './nhn-sms-request.ts';
import { nhnDataOf } from './nhn-sms-response.ts';

/**
 * NHN's SMS result look-up for many messages (SMSDOC `api-guide.md` v3.0 "단문 SMS 발송목록 검색",
 * "장문 MMS 발송 목록 검색"):
 *
 *   GET /sms/v3.0/appKeys/{appKey}/sender/{sms|mms}?requestId=...&pageNum=1&pageSize=1000
 *   X-Secret-Key: ...
 *   -> {"header":{...},"body":{"pageNum":1,"pageSize":1000,"totalCount":n,"data":[{"requestId",
 *        "recipientSeq":1,"msgStatus":"3","msgStatusName":"성공","resultCode":"1000",
 *        "resultCodeName":"성공","resultDate":"2018-08-10 10:06:42.0","telecomCode":10001,
 *        "telecomCodeName":"SKT","recipientGroupingKey":"..."}]}}
 *
 * One requestId holds at most 1,000 recipients (pageSize's maximum too), so one call a requestId
 * answers them all. A vendorMessageId is `${requestId}:${recipientSeq}` (`:mms` added for LMS/MMS,
 * whose list is under /sender/mms): the ids of one lookUp are grouped by requestId and product, one
 * call each, so ids of a bulk send cost one call and ids of single sends one call each. A failed
 * call (throttled, an outage) fails the whole look-up: the poller asks again for all of them.
 */
export const NHN_RECEIPT_LIMITS = {
  maxIdsPerCall: NHN_MAX_RECIPIENTS,
  /**
   * NHN documents no rate for its look-ups (only the monthly sending quota): 10 calls a second is
   * our conservative choice, well under what its send API takes.
   */
  callsPerSecond: 10,
} as const;

/** NHN's delivery timeout (SMSDOC `sending-policy.md`): SMS 25 h, LMS/MMS 80 h, then result 2000. */
export function nhnDeliveryTimeoutMs(channel: Channel): number {
  return (channel === 'sms' ? 25 : 80) * 3_600_000;
}

interface LookUpGroup {
  readonly requestId: string;
  readonly product: 'sms' | 'mms';
  /** recipientSeq -> the vendorMessageId asked for. */
  readonly wanted: Map<number, string>;
}

export function createNhnReceiptLookup(
  vendorId: string,
  appKey: string,
  client: JsonHttpClient,
  headers: Readonly<Record<string, string>>,
  now: () => number,
): ReceiptLookup {
  return {
    ...NHN_RECEIPT_LIMITS,
    deliveryTimeoutMs: nhnDeliveryTimeoutMs,
    async lookUp(vendorMessageIds, signal) {
      const found = new Map<string, DeliveryCheck>();
      for (const group of groupsOf(vendorMessageIds)) {
        const path =
          `${NHN_SMS_API}/${encodeURIComponent(appKey)}/sender/${group.product}` +
          `?requestId=${encodeURIComponent(group.requestId)}&pageNum=1&pageSize=${NHN_MAX_RECIPIENTS}`;
        let response: JsonResponse;
        try {
          response = await client.request({ method: 'GET', path, headers, signal });
        } catch (error) {
          throw mapTransportError(vendorId, error, signal);
        }
        for (const row of rowsOf(vendorId, response, now())) {
          const id = group.wanted.get(Number(row.recipientSeq));
          const check = id === undefined ? undefined : nhnDeliveryOfRow(row, now());
          if (id !== undefined && check !== undefined && check.state !== 'pending') found.set(id, check);
        }
      }
      return found;
    },
  };
}

/** The answer's rows, or its HeraldError thrown (throttled, outage, refused credentials...). */
function rowsOf(vendorId: string, response: JsonResponse, nowMs: number): Record<string, unknown>[] {
  const data = nhnDataOf(vendorId, response, nowMs);
  if (data instanceof HeraldError) throw data;
  if (!Array.isArray(data)) throw malformed(vendorId);
  return data.filter((row): row is Record<string, unknown> => typeof row === 'object' && row !== null);
}

function malformed(vendorId: string): HeraldError {
  return new HeraldError(
    'HERALD_VENDOR_UNAVAILABLE',
    `NHN SMS (${vendorId}) answered its list without data`,
    {
      retryable: true,
      vendorCode: 'MALFORMED_RESPONSE',
      vendorFault: true,
    },
  );
}

/** The ids by (requestId, product); an id that is not NHN's shape is left out (never found). */
function groupsOf(vendorMessageIds: readonly string[]): LookUpGroup[] {
  const groups = new Map<string, LookUpGroup>();
  for (const id of vendorMessageIds) {
    const match = /^([^:]+):(\d+)(:mms)?$/.exec(id);
    if (match === null) continue;
    const product = match[3] === undefined ? 'sms' : 'mms';
    const key = `${product}:${match[1]}`;
    const group = groups.get(key) ?? { requestId: match[1]!, product, wanted: new Map() };
    groups.set(key, group);
    group.wanted.set(Number(match[2]), id);
  }
  return [...groups.values()];
}
