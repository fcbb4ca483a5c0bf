import type { DeliveryResult } from '../text/delivery-results.ts';
import type { KakaoOutcome } from '../text/kakao-audience.ts';
import type { TextContractContext, TextRequest } from '../text/text-contract.ts';
import type { HttpAnswer } from '../wire-contract.ts';
import { solapiError, solapiId, solapiOk } from './solapi-answers.ts';
import { solapiFateOf } from './solapi-fates.ts';
import { type CheckedSolapiMessage, checkSolapiMessage, type RawMessage } from './solapi-message-checks.ts';
import { scheduleSolapiReports } from './solapi-webhook.ts';

/** herald's message id in customFields (src/vendors/solapi/solapi-send.ts), for counting per message. */
const HERALD_MESSAGE_ID_FIELD = 'heraldMessageId';
/** send-many/detail takes up to 10,000 messages a call (solapi-nodejs messageService.ts send). */
const MAX_MESSAGES = 10_000;

const STATUS_MESSAGES: Readonly<Record<string, string>> = {
  '1043': '등록한 템플릿과 내용이 다릅니다',
  '1060': '차단된 수신번호',
  '1061': '사용자에 의해 수신거부 됨(080무료수신거부)',
};

/**
 * `POST /messages/v4/send-many/detail` (solapi-nodejs messageService.ts send; answer shape
 * sendManyDetailResponse.ts): each message is checked as SOLAPI registers it, the refused ones go
 * to failedMessageList with their status code, the rest meet the vendor's behaviour (a 5xx fails
 * the call, a 4xx refuses that message) and are listed in messageList with 2000 when the call asks
 * showMessageList. An AlimTalk's Kakao outcome is recorded for the message list look-up.
 */
export async function handleSendMany(
  request: TextRequest,
  context: TextContractContext,
): Promise<HttpAnswer | null> {
  const body = parseBody(request.body);
  const messages = body?.messages;
  if (!Array.isArray(messages) || messages.length === 0 || messages.length > MAX_MESSAGES) {
    return solapiError(400, 'ValidationError', `messages must hold 1 to ${MAX_MESSAGES} messages`);
  }
  const now = context.text.now();
  const groupId = solapiId('G4V', now);
  const checks = messages.map((raw) =>
    checkSolapiMessage(request.vendorId, (raw ?? {}) as RawMessage, context.text, now),
  );
  const valid = checks.flatMap((check) =>
    check.ok ? [{ message: check.message, messageId: solapiId('M4V', now) }] : [],
  );
  const outcomes = await context.vendor.handleMany(
    valid.map(({ message, messageId }) => ({
      messageId: message.customFields[HERALD_MESSAGE_ID_FIELD] ?? messageId,
      idempotencyKey: undefined,
    })),
    context.shutdown,
  );
  if (outcomes.kind === 'hang') return null;
  if (outcomes.kind === 'rate-limited') {
    return {
      ...solapiError(429, 'TooManyRequests', '요청이 너무 많습니다'),
      headers: { 'retry-after': String(Math.max(1, Math.ceil(outcomes.retryAfterMs / 1_000))) },
    };
  }
  if (outcomes.kind === 'failed') {
    const { status, code } = outcomes.outcome.error;
    return solapiError(status, code, '서버 오류');
  }
  const failedMessageList = checks.flatMap((check) =>
    check.ok ? [] : [failedEntry(check.raw, check.statusCode, check.statusMessage, context)],
  );
  const messageList: unknown[] = [];
  const recorded: [string, DeliveryResult][] = [];
  valid.forEach(({ message, messageId }, i) => {
    const outcome = outcomes.outcomes[i]!;
    if (outcome.kind === 'failed') {
      const code = outcome.error.code;
      failedMessageList.push(failedEntry(message, code, STATUS_MESSAGES[code] ?? '접수 실패', context));
      return;
    }
    recorded.push([messageId, record(request.vendorId, message, messageId, groupId, context, now)]);
    if (body?.showMessageList === true) {
      messageList.push({
        messageId,
        statusCode: '2000',
        statusMessage: '정상 접수(이통사로 접수 예정)',
        customFields: message.customFields,
      });
    }
  });
  scheduleSolapiReports(request.vendorId, recorded, context);
  return solapiOk({
    groupInfo: groupInfo(groupId, messages.length, messages.length - failedMessageList.length, context, now),
    failedMessageList,
    ...(body?.showMessageList === true ? { messageList } : {}),
  });
}

/**
 * The result the list look-up (and the webhook) will report: Kakao's outcome for ATA, the carrier's
 * fate for SMS/LMS/MMS and VOICE (solapi-fates.ts: a voice call rides a network too, and herald's
 * VMS is receipted by the same look-up, with the carrier).
 */
function record(
  vendorId: string,
  message: CheckedSolapiMessage,
  messageId: string,
  groupId: string,
  context: TextContractContext,
  now: number,
): DeliveryResult {
  const text = ['SMS', 'LMS', 'MMS', 'VOICE'].includes(message.type)
    ? solapiFateOf(context.text, vendorId, messageId)
    : undefined;
  const code: KakaoOutcome | string =
    message.type === 'ATA' ? context.text.kakao.outcomeFor(message.to) : (text?.code ?? '4000');
  return context.text.results.record(
    vendorId,
    messageId,
    {
      messageId: message.customFields[HERALD_MESSAGE_ID_FIELD] ?? messageId,
      to: message.to,
      code,
      ...(text === undefined ? {} : { fate: text.fate }),
      detail: { type: message.type, groupId, from: message.from ?? '', createdAt: now },
    },
    now,
    groupId,
  );
}

function failedEntry(
  raw: RawMessage | CheckedSolapiMessage,
  statusCode: string,
  statusMessage: string,
  context: TextContractContext,
): Record<string, unknown> {
  const accountId = context.text.trust[context.vendor.id]?.accountId ?? '';
  return {
    to: typeof raw.to === 'string' ? raw.to : '',
    from: typeof raw.from === 'string' ? raw.from : '',
    type: typeof raw.type === 'string' ? raw.type : '',
    country: '82',
    messageId: '',
    statusCode,
    statusMessage,
    accountId,
    ...(typeof raw.customFields === 'object' && raw.customFields !== null
      ? { customFields: raw.customFields }
      : {}),
  };
}

/** groupInfo as SOLAPI answers it (solapi-nodejs messageResponses.ts groupMessageResponseSchema, commonTypes.ts). */
function groupInfo(
  groupId: string,
  total: number,
  registered: number,
  context: TextContractContext,
  now: number,
) {
  const date = new Date(now).toISOString();
  const cash = { requested: 0, replacement: 0, refund: 0, sum: 0 };
  return {
    groupId,
    accountId: context.text.trust[context.vendor.id]?.accountId ?? '',
    masterAccountId: null,
    apiVersion: '4',
    status: 'SENDING',
    allowDuplicates: false,
    isRefunded: false,
    count: {
      total,
      sentTotal: 0,
      sentFailed: 0,
      sentSuccess: 0,
      sentPending: registered,
      sentReplacement: 0,
      refund: 0,
      registeredFailed: total - registered,
      registeredSuccess: registered,
    },
    balance: cash,
    point: cash,
    price: {},
    log: [],
    dateCreated: date,
    dateUpdated: date,
    scheduledDate: null,
    dateSent: null,
    dateCompleted: null,
  };
}

function parseBody(raw: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
