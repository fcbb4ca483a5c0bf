import type { SimulatedSend } from '../simulated-vendor.ts';
import type { TextContractContext, TextRequest, TextWireContract } from '../text/text-contract.ts';
import type { HttpAnswer } from '../wire-contract.ts';
import {
  NHN_MESSAGES,
  nhnHeader,
  nhnOutage,
  nhnRefusal,
  nhnRequestId,
  nhnSuccess,
  nhnThrottled,
} from './nhn-sms-answers.ts';
import {
  checkSendBody,
  isValidRecipientNo,
  type NhnSendKind,
  type NhnSendRequest,
} from './nhn-sms-checks.ts';
import { listResults, lookUpResult, nhnSeries } from './nhn-sms-lookup.ts';
import { nhnFateOf } from './nhn-sms-rows.ts';
import { uploadAttachFile } from './nhn-sms-upload.ts';

/**
 * NHN Cloud SMS v3.0 as the simulator speaks it (SMSDOC `api-guide.md` v3.0; vendor-contracts.md
 * §4.A), under `/<vendorId>`:
 *
 *   POST /sms/v3.0/appKeys/{appKey}/sender/{sms|mms|ad-sms|ad-mms|auth/sms}
 *   POST /sms/v3.0/appKeys/{appKey}/attachfile/binaryUpload
 *   GET  /sms/v3.0/appKeys/{appKey}/sender/{sms|mms}/{requestId}?recipientSeq=N   (nhn-sms-lookup.ts)
 *   GET  /sms/v3.0/appKeys/{appKey}/sender/{sms|mms}?requestId=...&pageSize=1000  (the result list,
 *        or by startCreateDate/endCreateDate, startRequestDate/endRequestDate)
 *   X-Secret-Key: <secret key>        Content-Type: application/json;charset=UTF-8
 *
 * Checked in the order NHN's front end would: the API exists (-9998), the appKey is the trusted
 * one (-1000), the secret key matches (-1004), JSON content (-9996, -9997), then the body
 * (nhn-sms-checks.ts), the sendNo on the vendor's sender list (-2312), every attach file id known
 * and unexpired (-2004), and last each recipient (-2018, -2019) before the vendor's behaviour
 * decides each valid recipient's fate. Herald's message id is the recipient's recipientGroupingKey.
 */
export const NHN_SMS_WIRE_CONTRACT: TextWireContract = {
  async handle(request, context) {
    const route = routeOf(request.path);
    if (route === undefined) return { status: 404, body: { header: nhnHeader(-9998) } };
    const trust = context.text.trust[request.vendorId];
    if (trust === undefined || route.appKey !== trust.accountId) return nhnRefusal(-1000);
    if (headerValue(request.headers['x-secret-key']) !== trust.secret) return nhnRefusal(-1004);
    if (route.kind === 'lookup') {
      if (request.method !== 'GET') return { status: 405, body: { header: nhnHeader(-9998) } };
      return lookUpResult(request.vendorId, route.requestId, route.query, context.text);
    }
    if (request.method === 'GET' && route.kind !== 'upload' && !route.kind.ad) {
      const query = new URLSearchParams(request.path.split('?')[1] ?? '');
      return listResults(request.vendorId, route.kind.type, query, context.text);
    }
    if (request.method !== 'POST') return { status: 405, body: { header: nhnHeader(-9998) } };
    if (!/^application\/json\b/i.test(headerValue(request.headers['content-type']) ?? '')) {
      return nhnRefusal(-9996);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(request.body.toString('utf8'));
    } catch {
      return nhnRefusal(-9997);
    }
    if (route.kind === 'upload') return uploadAttachFile(request.vendorId, raw, context.text);
    return send(request, context, route.kind, raw);
  },
};

type Route =
  | { readonly appKey: string; readonly kind: NhnSendKind | 'upload' }
  | {
      readonly appKey: string;
      readonly kind: 'lookup';
      readonly requestId: string;
      readonly query: URLSearchParams;
    };

const PATH =
  /^\/sms\/v3\.0\/appKeys\/([^/?]+)\/(sender\/(ad-)?(sms|mms)|sender\/auth\/sms|attachfile\/binaryUpload)(?:\?.*)?$/;
const LOOKUP_PATH = /^\/sms\/v3\.0\/appKeys\/([^/?]+)\/sender\/(?:sms|mms)\/([^/?]+)(?:\?(.*))?$/;

function routeOf(path: string): Route | undefined {
  const lookup = LOOKUP_PATH.exec(path);
  if (lookup !== null) {
    const appKey = decoded(lookup[1]!);
    const requestId = decoded(lookup[2]!);
    if (appKey === undefined || requestId === undefined) return undefined;
    return { appKey, kind: 'lookup', requestId, query: new URLSearchParams(lookup[3] ?? '') };
  }
  const match = PATH.exec(path);
  if (match === null) return undefined;
  const appKey = decoded(match[1]!);
  if (appKey === undefined) return undefined;
  if (match[2] === 'attachfile/binaryUpload') return { appKey, kind: 'upload' };
  // The authentication sender (OTP, urgent) is an SMS as far as the checks go.
  return { appKey, kind: { type: match[4] === 'mms' ? 'mms' : 'sms', ad: match[3] !== undefined } };
}

function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

async function send(
  request: TextRequest,
  context: TextContractContext,
  kind: NhnSendKind,
  raw: unknown,
): Promise<HttpAnswer | null> {
  const { vendorId } = request;
  const { text } = context;
  const checked = checkSendBody(raw, kind);
  if (!checked.ok) return nhnRefusal(checked.code);
  const call = checked.value;
  if (!text.senderNumbers.allows(vendorId, call.sendNo)) return nhnRefusal(-2312);
  const now = text.now();
  if (call.attachFileIdList.some((fileId) => text.files.get(vendorId, fileId, now) === undefined)) {
    return nhnRefusal(-2004);
  }
  const requestId = nhnRequestId(now);
  const recipients = call.recipientList.map((recipient, index) => ({
    recipient,
    recipientSeq: index + 1,
    code: recipientCode(recipient.recipientNo),
  }));
  const valid = recipients.filter((entry) => entry.code === 0);
  const sends: SimulatedSend[] = valid.map((entry) => ({
    messageId: entry.recipient.recipientGroupingKey || `${requestId}:${entry.recipientSeq}`,
    idempotencyKey: undefined,
  }));
  const outcomes = await context.vendor.handleMany(sends, context.shutdown);
  if (outcomes.kind === 'hang') return null;
  if (outcomes.kind === 'rate-limited') return nhnThrottled(outcomes.retryAfterMs);
  if (outcomes.kind === 'failed') return nhnOutage(outcomes.outcome.error.code);
  outcomes.outcomes.forEach((outcome, index) => {
    const entry = valid[index]!;
    if (outcome.kind === 'failed') entry.code = codeOf(outcome.error.code);
    else recordAccepted(context, call, requestId, entry.recipientSeq, sends[index]!.messageId, now, kind);
  });
  return nhnSuccess({
    requestId,
    statusCode: '2',
    ...(call.senderGroupingKey ? { senderGroupingKey: call.senderGroupingKey } : {}),
    sendResultList: recipients.map(({ recipient, recipientSeq, code }) => ({
      recipientNo: recipient.recipientNo ?? '',
      resultCode: code,
      resultMessage: NHN_MESSAGES[code] ?? 'Failed.',
      recipientSeq,
      ...(recipient.recipientGroupingKey ? { recipientGroupingKey: recipient.recipientGroupingKey } : {}),
    })),
  });
}

function recipientCode(recipientNo: string | undefined): number {
  if (recipientNo === undefined || recipientNo === '') return -2018;
  return isValidRecipientNo(recipientNo) ? 0 : -2019;
}

/** A simulated 4xx error's code as NHN's integer result code (the catalogue holds NHN's codes). */
function codeOf(code: string): number {
  const value = Number(code);
  return Number.isInteger(value) && value !== 0 ? value : 4;
}

/**
 * What NHN's result look-ups will report of an accepted message: its fate at the carrier (the
 * simulator's carrier mix and undelivered share, nhn-sms-rows.ts), under `${requestId}:${seq}`,
 * in the requestId's list and in its product's list by registration time (and in that list's
 * part of the call's senderGroupingKey, which a search may name).
 */
function recordAccepted(
  context: TextContractContext,
  call: NhnSendRequest,
  requestId: string,
  recipientSeq: number,
  messageId: string,
  now: number,
  kind: NhnSendKind,
): void {
  const to = call.recipientList[recipientSeq - 1]?.recipientNo ?? '';
  const vendorId = context.vendor.id;
  const vendorMessageId = `${requestId}:${recipientSeq}`;
  const { fate, code } = nhnFateOf(context.text, vendorId, vendorMessageId);
  const messageType = kind.type === 'sms' ? 'SMS' : call.attachFileIdList.length > 0 ? 'MMS' : 'LMS';
  const grouping = call.senderGroupingKey;
  const detail = {
    requestId,
    recipientSeq,
    product: kind.type,
    messageType,
    ...(grouping ? { senderGroupingKey: grouping } : {}),
  };
  context.text.results.record(
    vendorId,
    vendorMessageId,
    { messageId, to, code, fate, detail },
    now,
    requestId,
  );
  context.text.results.timeline(vendorId, nhnSeries(kind.type)).add(now, vendorMessageId);
  if (grouping)
    context.text.results.timeline(vendorId, nhnSeries(kind.type, grouping)).add(now, vendorMessageId);
}
