import { randomUUID } from 'node:crypto';
import { formatSensTime } from '../../vendors/sens/sens-text.ts';
import type { DeliveryResult } from '../text/delivery-results.ts';
import { receiptFateOf } from '../text/receipt-mix.ts';
import type { TextSimulation } from '../text/text-simulation.ts';
import type { HttpAnswer } from '../wire-contract.ts';
import { sensError } from './sens-answers.ts';

/**
 * The carrier results the simulated SENS reports for an SMS it could not deliver. SENS publishes no
 * table of its per-message statusCode in the material herald's notes cite; the simulator uses the
 * Korean carriers' result codes the aggregators share (as NHN's "수신 결과 코드" lists them).
 * "0" is delivered.
 */
const UNDELIVERED: readonly (readonly [code: string, message: string])[] = [
  ['2003', '단말기 전원 꺼짐'],
  ['3001', '가입자 없음'],
  ['3006', '착신 거절'],
];

/** SENS' own name of each network (telcoCode); an MVNO subscriber under the one it rides on. */
const TELCO: Readonly<Record<string, string>> = { SKT: 'SKT', KT: 'KT', 'LGU+': 'LGT' };

export interface SensSmsAccepted {
  readonly requestId: string;
  readonly to: string;
  readonly heraldMessageId: string;
  readonly type: string;
  readonly contentType: string;
  readonly from: string;
}

/** Records an accepted message's fate (receipt-mix.ts) under a new SENS messageId, in its request's list. */
export function recordSensSms(
  vendorId: string,
  message: SensSmsAccepted,
  text: TextSimulation,
  now: number,
): void {
  const messageId = randomUUID();
  const fate = receiptFateOf(`${vendorId}:${messageId}`, text.results.mix);
  const code = fate.delivered ? '0' : UNDELIVERED[Math.floor(fate.pick * UNDELIVERED.length)]![0];
  text.results.record(
    vendorId,
    messageId,
    {
      messageId: message.heraldMessageId,
      to: message.to,
      code,
      fate,
      detail: {
        requestId: message.requestId,
        type: message.type,
        contentType: message.contentType,
        from: message.from,
        requestTime: formatSensTime(now),
      },
    },
    now,
    message.requestId,
  );
}

/**
 * `GET /sms/v2/services/{serviceId}/messages?requestId=` (sens-sms-list): the request's messages
 * with their ids, pages of pageSize (at most 100) from pageIndex 0. Only the requestId search is
 * simulated (the time-range ones answer 400).
 */
export function listSensSms(vendorId: string, query: URLSearchParams, text: TextSimulation): HttpAnswer {
  const throttled = throttle(vendorId, text);
  if (throttled !== undefined) return throttled;
  const requestId = query.get('requestId');
  const pageIndex = Number(query.get('pageIndex') ?? 0);
  const pageSize = Number(query.get('pageSize') ?? 100);
  if (!requestId) return sensError(400, 'Bad Request', ['requestId is required by this simulator']);
  if (
    !Number.isInteger(pageIndex) ||
    pageIndex < 0 ||
    !Number.isInteger(pageSize) ||
    pageSize < 1 ||
    pageSize > 100
  ) {
    return sensError(400, 'Bad Request', ['pageIndex must be >= 0 and pageSize 1..100']);
  }
  const ids = text.results.group(vendorId, requestId);
  const page = ids.slice(pageIndex * pageSize, (pageIndex + 1) * pageSize);
  const messages = page.flatMap((messageId) => {
    const result = text.results.get(vendorId, messageId);
    if (result === undefined) return [];
    const detail = result.detail ?? {};
    return [
      {
        messageId,
        requestTime: detail.requestTime,
        contentType: detail.contentType,
        countryCode: '82',
        from: detail.from,
        to: result.to,
      },
    ];
  });
  text.results.countListed(vendorId, messages.length);
  return {
    status: 200,
    body: {
      requestId,
      statusCode: '202',
      statusName: 'success',
      messages,
      pageIndex,
      pageSize,
      itemCount: messages.length,
      hasMore: (pageIndex + 1) * pageSize < ids.length,
    },
  };
}

/**
 * `GET /sms/v2/services/{serviceId}/messages/{messageId}` (sens-sms-get): READY until the result is
 * ready, then COMPLETED with the carrier's code and the network. A final answer is counted once in
 * the receipt tally, under the carrier herald reads from telcoCode. 404 for an unknown message.
 */
export function getSensSms(vendorId: string, messageId: string, text: TextSimulation): HttpAnswer {
  const throttled = throttle(vendorId, text);
  if (throttled !== undefined) return throttled;
  const result = text.results.get(vendorId, messageId);
  if (result === undefined || result.fate === undefined) return sensError(404, 'Not Found');
  text.results.countListed(vendorId, 1);
  return {
    status: 200,
    body: {
      statusCode: '202',
      statusName: 'success',
      messages: [sensSmsResult(vendorId, messageId, result, text)],
    },
  };
}

function sensSmsResult(
  vendorId: string,
  messageId: string,
  result: DeliveryResult,
  text: TextSimulation,
): Record<string, unknown> {
  const detail = result.detail ?? {};
  const common = {
    requestId: detail.requestId,
    messageId,
    requestTime: detail.requestTime,
    contentType: detail.contentType,
    type: detail.type,
    countryCode: '82',
    from: detail.from,
    to: result.to,
  };
  if (text.now() < result.readyAt) return { ...common, status: 'READY' };
  const delivered = result.code === '0';
  const parent = result.fate!.parent;
  text.results.tally.count(vendorId, messageId, delivered, parent);
  return {
    ...common,
    completeTime: formatSensTime(result.readyAt),
    status: 'COMPLETED',
    statusCode: result.code,
    statusName: delivered ? 'success' : 'fail',
    statusMessage: delivered ? '성공' : (UNDELIVERED.find(([code]) => code === result.code)?.[1] ?? '실패'),
    telcoCode: TELCO[parent],
  };
}

/** SENS' look-ups are metered on their own (LookUpThrottle): 429 with Retry-After when over. */
function throttle(vendorId: string, text: TextSimulation): HttpAnswer | undefined {
  const waitMs = text.lookUps.tryTake(vendorId);
  if (waitMs <= 0) return undefined;
  const answer = sensError(429, 'Too Many Requests');
  return { ...answer, headers: { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1_000))) } };
}
