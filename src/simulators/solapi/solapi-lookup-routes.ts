import type { DeliveryResult } from '../text/delivery-results.ts';
import type { TextContractContext, TextRequest } from '../text/text-contract.ts';
import type { TextSimulation } from '../text/text-simulation.ts';
import type { HttpAnswer } from '../wire-contract.ts';
import { solapiError, solapiOk } from './solapi-answers.ts';
import { countSolapiReceipt, solapiNetworkFields, solapiReason } from './solapi-fates.ts';

/** Kakao's result codes as SOLAPI reports them (docs message-status-codes.md 3104, 3107, 4000). */
const SOLAPI_CODE_OF_KAKAO: Readonly<Record<string, string>> = {
  '1000': '4000',
  '3019': '3104', // 카카오톡 미사용자
  '3018': '3107', // 72시간 이내 카카오톡 미사용자
  '3020': '3107', // 알림톡 차단한 사용자
};

const REASONS: Readonly<Record<string, string>> = {
  '4000': '발송 처리 완료',
  '3104': '카카오톡 미사용자',
  '3107': '72시간 이내 카카오톡 미사용자, 알림톡 차단한 사용자',
};

/** How many messages one list call answers at most (the SDK's `limit`; docs getMessageList.md). */
const MAX_LIMIT = 500;

/**
 * `GET /messages/v4/list` (docs api-reference/messages/getMessageList.md; solapi-nodejs
 * messageService.ts getMessages) by `messageId`, by `messageIds` (`messageIds[0]=...`, as the
 * SDK's stringifyQuery writes an array; `messageIds=a&messageIds=b` too), or by the older
 * `criteria=messageId&cond=eq&value=`: the messages keyed by id, each with SOLAPI's status, status
 * code and, for a text message, its network. Before the result is known a message reports 3000
 * (handed over, waiting for the report). Look-ups are metered on their own: 429 TooManyRequests.
 */
export function handleMessageList(request: TextRequest, context: TextContractContext): HttpAnswer {
  const waitMs = context.text.lookUps.tryTake(request.vendorId);
  if (waitMs > 0) {
    return {
      ...solapiError(429, 'TooManyRequests', '요청이 너무 많습니다'),
      headers: { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1_000))) },
    };
  }
  const query = new URL(request.path, 'http://solapi.invalid').searchParams;
  const ids = messageIdsOf(query);
  if (ids.length === 0) return solapiError(400, 'ValidationError', 'messageId is required by this simulator');
  const limit = Number(query.get('limit') ?? 20);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    return solapiError(400, 'ValidationError', `limit must be 1 to ${MAX_LIMIT}`);
  }
  const messageList: Record<string, unknown> = {};
  for (const messageId of ids.slice(0, limit)) {
    const result = context.text.results.get(request.vendorId, messageId);
    if (result !== undefined) {
      messageList[messageId] = storedMessage(request.vendorId, messageId, result, context.text, true);
    }
  }
  context.text.results.countListed(request.vendorId, Object.keys(messageList).length);
  return solapiOk({ startKey: null, nextKey: null, limit, messageList });
}

function messageIdsOf(query: URLSearchParams): string[] {
  const indexed = [...query.entries()]
    .filter(([key]) => /^messageIds(\[\d*\])?$/.test(key))
    .map(([, value]) => value);
  const single = query.get('messageId');
  const criteria = (query.get('criteria') ?? '').split(',');
  const values = (query.get('value') ?? '').split(',');
  const byCriteria = criteria.indexOf('messageId');
  const legacy = byCriteria >= 0 ? values[byCriteria] : undefined;
  return [...(single ? [single] : []), ...(legacy ? [legacy] : []), ...indexed];
}

/**
 * One message as SOLAPI stores it (the list's entries, the webhook's array items). `count`: a
 * final text message is counted in the receipt tally (a look-up's answer or a taken report).
 */
export function storedMessage(
  vendorId: string,
  messageId: string,
  result: DeliveryResult,
  text: TextSimulation,
  count: boolean,
): Record<string, unknown> {
  const now = text.now();
  const detail = result.detail ?? {};
  const type = String(detail.type ?? '');
  const ready = now >= result.readyAt;
  const statusCode = !ready
    ? '3000'
    : type === 'ATA'
      ? (SOLAPI_CODE_OF_KAKAO[result.code] ?? result.code)
      : result.code;
  const created = new Date(Number(detail.createdAt ?? now)).toISOString();
  if (ready && count) countSolapiReceipt(vendorId, messageId, result, text);
  const network = ready ? solapiNetworkFields(result) : undefined;
  return {
    _id: messageId,
    messageId,
    groupId: detail.groupId ?? null,
    type,
    to: result.to,
    from: detail.from || null,
    country: '82',
    status: !ready ? 'SENDING' : statusCode === '4000' ? 'COMPLETE' : 'FAILED',
    statusCode,
    reason: ready ? (REASONS[statusCode] ?? solapiReason(statusCode) ?? null) : null,
    networkName: network?.networkName ?? null,
    networkCode: network?.networkCode ?? null,
    customFields: { heraldMessageId: result.messageId },
    dateCreated: created,
    dateUpdated: ready ? new Date(result.readyAt).toISOString() : created,
    dateReceived: ready && statusCode === '4000' ? new Date(result.readyAt).toISOString() : null,
    dateReported: ready ? new Date(result.readyAt).toISOString() : null,
  };
}
