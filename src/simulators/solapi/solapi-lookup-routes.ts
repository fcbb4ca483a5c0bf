import type { DeliveryResult } from '../text/delivery-results.ts';
import type { TextContractContext, TextRequest } from '../text/text-contract.ts';
import type { HttpAnswer } from '../wire-contract.ts';
import { solapiError, solapiOk } from './solapi-answers.ts';

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

/**
 * `GET /messages/v4/list?messageId=` (or `criteria=messageId&cond=eq&value=`; docs
 * api-reference/messages/getMessageList.md; solapi-nodejs messageService.ts getMessages): the
 * messages keyed by id, each with SOLAPI's status and status code. Before the result is known a
 * message reports 3000 (handed over, waiting for the report).
 */
export function handleMessageList(request: TextRequest, context: TextContractContext): HttpAnswer {
  const query = new URL(request.path, 'http://solapi.invalid').searchParams;
  const criteria = (query.get('criteria') ?? '').split(',');
  const values = (query.get('value') ?? '').split(',');
  const byCriteria = criteria.indexOf('messageId');
  const messageId = query.get('messageId') ?? (byCriteria >= 0 ? values[byCriteria] : undefined);
  if (!messageId) return solapiError(400, 'ValidationError', 'messageId is required by this simulator');
  const result = context.text.results.get(request.vendorId, messageId);
  const messageList =
    result === undefined ? {} : { [messageId]: stored(messageId, result, context.text.now()) };
  return solapiOk({ startKey: null, nextKey: null, limit: 20, messageList });
}

function stored(messageId: string, result: DeliveryResult, now: number): Record<string, unknown> {
  const detail = result.detail ?? {};
  const type = String(detail.type ?? '');
  const ready = now >= result.readyAt;
  const statusCode = !ready
    ? '3000'
    : type === 'ATA'
      ? (SOLAPI_CODE_OF_KAKAO[result.code] ?? result.code)
      : result.code;
  const created = new Date(Number(detail.createdAt ?? now)).toISOString();
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
    reason: ready ? (REASONS[statusCode] ?? null) : null,
    customFields: { heraldMessageId: result.messageId },
    dateCreated: created,
    dateUpdated: ready ? new Date(result.readyAt).toISOString() : created,
    dateReceived: ready && statusCode === '4000' ? new Date(result.readyAt).toISOString() : null,
  };
}
