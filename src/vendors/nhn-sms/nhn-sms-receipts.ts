import type { Channel } from '../../core/domain/channel.ts';
import { HeraldError } from '../../core/domain/errors.ts';
import type { DeliveryCheck, ReceiptLookup, ReceiptQuery } from '../../ports/vendor.ts';
import type { JsonHttpClient, JsonResponse } from '../http1/json-http-client.ts';
import { mapTransportError } from '../map-transport-error.ts';
import { NhnFinalRows } from './nhn-final-rows.ts';
import { type CreateSpan, createDateQuery, createSpanOf, mergedWindows } from './nhn-receipt-windows.ts';
import { nhnDeliveryOfRow } from './nhn-sms-delivery.ts';
import { NHN_MAX_RECIPIENTS, NHN_SMS_API, nhnSenderGroupingKey } from './nhn-sms-request.ts';
import { nhnDataOf } from './nhn-sms-response.ts';

/**
 * NHN's SMS result look-up for many messages (SMSDOC `api-guide.md` v3.0 "단문 SMS 발송목록 검색",
 * "장문 MMS 발송 목록 검색"):
 *
 *   GET /sms/v3.0/appKeys/{appKey}/sender/{sms|mms}?requestId=...&pageNum=1&pageSize=1000
 *   GET /sms/v3.0/appKeys/{appKey}/sender/{sms|mms}?startCreateDate=2026-01-01 09:00:00
 *       &endCreateDate=2026-01-01 09:00:05&pageNum=1&pageSize=1000
 *   X-Secret-Key: ...
 *   -> {"header":{...},"body":{"pageNum":1,"pageSize":1000,"totalCount":n,"data":[{"requestId",
 *        "recipientSeq":1,"requestDate","createDate","msgStatus":"3","msgStatusName":"성공",
 *        "resultCode":"1000","resultCodeName":"성공","resultDate":"2018-08-10 10:06:42.0",
 *        "telecomCode":10001,"telecomCodeName":"SKT","recipientGroupingKey":"..."}]}}
 *
 * "requestId 또는 startRequestDate + endRequestDate 또는 startCreateDate + endCreateDate는
 * 필수입니다": a list by one request, or by registration date, in pages of up to 1,000 rows.
 * A vendorMessageId is `${requestId}:${recipientSeq}` (`:mms` added for LMS/MMS, whose list is
 * under /sender/mms). One requestId holds at most 1,000 recipients, so one request's list is one
 * call: a bulk send's ids are asked by requestId. Single sends (the realtime lane's, one requestId
 * each) are asked by the registration dates around them instead: one search answers the thousand
 * of them that one request a requestId took a thousand calls for. The search names the lane's
 * senderGroupingKey (set on every send, nhn-sms-request.ts), so a realtime look-up in the seconds
 * of a batch flood reads the realtime rows, not the flood's. The final rows of the lane's other
 * messages in the window are kept for the look-ups that ask for them next (NhnFinalRows).
 */
export const NHN_RECEIPT_LIMITS = {
  maxIdsPerCall: NHN_MAX_RECIPIENTS,
  /**
   * NHN documents no rate for its look-ups (only the monthly sending quota): 10 requests a second
   * is our conservative choice, well under what its send API takes.
   */
  callsPerSecond: 10,
} as const;

/**
 * Up to this many requestIds a product, their lists (a row each); more, a search by date. A
 * realtime lane's look-up holds a few checks: their lists read just their rows, where a window
 * reads every row of the lane's seconds around them (and of a flood's too, for checks that name
 * no lane: pages of 1,000, parsed on the realtime worker and built by the vendor). Two products of
 * 5 fill one look-up's budget.
 */
export const NHN_FEW_REQUESTS = 5;
/**
 * At most this many requests a look-up (a second of its rate). A window dense with other messages
 * (a flood of sends in the same seconds) could take many pages; what a look-up leaves unread stays
 * pending and is asked again after the lane's doubling wait, when the messages answered meanwhile
 * have left the chunk and its window starts later. One look-up never holds the lane's pacer long.
 */
export const NHN_MAX_REQUESTS_PER_LOOKUP = 10;

/** NHN's delivery timeout (SMSDOC `sending-policy.md`): SMS 25 h, LMS/MMS 80 h, then result 2000. */
export function nhnDeliveryTimeoutMs(channel: Channel): number {
  return (channel === 'sms' ? 25 : 80) * 3_600_000;
}

/** One message asked for. */
interface Wanted {
  readonly id: string;
  readonly requestId: string;
  readonly product: 'sms' | 'mms';
  /** The sending lane's senderGroupingKey, when the query names the lane. */
  readonly grouping: string | undefined;
  /** `${requestId}:${recipientSeq}`: how a row names it. */
  readonly key: string;
  readonly span: CreateSpan;
}

/** What the rows of one product's list answer to: row key -> the vendorMessageId asked for. */
type Keys = ReadonlyMap<string, string>;

export function createNhnReceiptLookup(
  vendorId: string,
  appKey: string,
  client: JsonHttpClient,
  headers: Readonly<Record<string, string>>,
  now: () => number,
  readAhead = new NhnFinalRows(),
): ReceiptLookup {
  /** The asked-for ids a row read ahead answers, taken out of `wanted`. */
  const answerReadAhead = (wanted: readonly Wanted[], found: Map<string, DeliveryCheck>) =>
    wanted.filter((item) => {
      const kept = readAhead.take(item.key, now());
      if (kept !== undefined) found.set(item.id, kept);
      return kept === undefined;
    });
  return {
    ...NHN_RECEIPT_LIMITS,
    deliveryTimeoutMs: nhnDeliveryTimeoutMs,
    async lookUp(queries, call) {
      const found = new Map<string, DeliveryCheck>();
      const asked = answerReadAhead(wantedOf(queries), found);
      let budget = NHN_MAX_REQUESTS_PER_LOOKUP;
      /** One page of a product's list: its rows (final ones put in `found`), undefined past the budget. */
      const page = async (product: 'sms' | 'mms', criteria: string, keys: Keys, pageNum = 1) => {
        if (budget === 0) return undefined;
        budget -= 1;
        const path =
          `${NHN_SMS_API}/${encodeURIComponent(appKey)}/sender/${product}` +
          `?${criteria}&pageNum=${pageNum}&pageSize=${NHN_MAX_RECIPIENTS}`;
        const response = await call(async (signal) => {
          try {
            return await client.request({ method: 'GET', path, headers, signal });
          } catch (error) {
            throw mapTransportError(vendorId, error, signal);
          }
        });
        const at = now();
        const listed = listOf(vendorId, response, at);
        for (const row of listed.rows) {
          const check = nhnDeliveryOfRow(row, at);
          if (check.state === 'pending') continue;
          const key = rowKey(row);
          const id = keys.get(key);
          if (id !== undefined) found.set(id, check);
          else readAhead.keep(key, check, at);
        }
        return {
          ...listed,
          more: listed.rows.length > 0 && pageNum * NHN_MAX_RECIPIENTS < listed.totalCount,
        };
      };
      const byRequest = async (product: 'sms' | 'mms', requestId: string, wanted: readonly Wanted[]) => {
        const keys = new Map(wanted.map((item) => [item.key, item.id]));
        await page(product, `requestId=${encodeURIComponent(requestId)}`, keys);
      };
      // One series a product and lane: the lane's messages are the ones its search lists.
      for (const wanted of Map.groupBy(asked, seriesOf).values()) {
        const { product, grouping } = wanted[0]!;
        const requests = Map.groupBy(wanted, (item) => item.requestId);
        if (requests.size <= NHN_FEW_REQUESTS) {
          for (const [requestId, items] of requests) await byRequest(product, requestId, items);
          continue;
        }
        const missed: Wanted[] = [];
        const tagged = grouping === undefined ? '' : `&senderGroupingKey=${encodeURIComponent(grouping)}`;
        for (const { window, items } of mergedWindows(wanted)) {
          const keys = new Map(items.map((item) => [item.key, item.id]));
          const unseen = new Set(keys.keys());
          for (let pageNum = 1; unseen.size > 0; pageNum += 1) {
            const listed = await page(product, `${createDateQuery(window)}${tagged}`, keys, pageNum);
            if (listed === undefined) break;
            for (const row of listed.rows) unseen.delete(rowKey(row));
            if (listed.more) continue;
            // The whole window read and still not seen: registered outside it (a clock further
            // off than the margins) or without the lane's key (sent before herald set it). Its
            // own request's list finds it wherever it is.
            missed.push(...items.filter((item) => unseen.has(item.key)));
            break;
          }
        }
        for (const [requestId, items] of Map.groupBy(missed, (item) => item.requestId)) {
          if (budget === 0) break;
          await byRequest(product, requestId, items);
        }
      }
      // Another window of this look-up may have read a row its own search then stopped short of.
      answerReadAhead(
        asked.filter((item) => !found.has(item.id)),
        found,
      );
      return found;
    },
  };
}

/** The queries of NHN's id shape, with where each one's registration lies; others are never found. */
function wantedOf(queries: readonly ReceiptQuery[]): Wanted[] {
  return queries.flatMap(({ vendorMessageId: id, sentAt, lane }) => {
    const match = /^([^:]+):(\d+)(:mms)?$/.exec(id);
    if (match === null) return [];
    const requestId = match[1]!;
    const product = match[3] === undefined ? ('sms' as const) : ('mms' as const);
    return [
      {
        id,
        requestId,
        product,
        grouping: lane === undefined ? undefined : nhnSenderGroupingKey(lane),
        key: `${requestId}:${Number(match[2])}`,
        span: createSpanOf(requestId, sentAt),
      },
    ];
  });
}

/** The list a message is searched in: its product's, filtered to its lane's. */
function seriesOf(item: Wanted): string {
  return `${item.product} ${item.grouping ?? ''}`;
}

/** How a row names its message: `${requestId}:${recipientSeq}`, as Wanted.key does. */
function rowKey(row: Record<string, unknown>): string {
  return `${row.requestId}:${row.recipientSeq}`;
}

interface Listed {
  readonly rows: readonly Record<string, unknown>[];
  readonly totalCount: number;
}

/** The answer's rows and total, or its HeraldError thrown (throttled, outage, refused credentials...). */
function listOf(vendorId: string, response: JsonResponse, nowMs: number): Listed {
  const data = nhnDataOf(vendorId, response, nowMs);
  if (data instanceof HeraldError) throw data;
  if (!Array.isArray(data)) throw malformed(vendorId);
  const rows = data.filter((row): row is Record<string, unknown> => typeof row === 'object' && row !== null);
  const total = Number((response.body as { body?: { totalCount?: unknown } }).body?.totalCount);
  // Without a total, a full page is taken to say that more may follow.
  return {
    rows,
    totalCount: Number.isFinite(total) ? total : rows.length === NHN_MAX_RECIPIENTS ? Infinity : 0,
  };
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
