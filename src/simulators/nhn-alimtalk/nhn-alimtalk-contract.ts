import { timingSafeEqual } from 'node:crypto';
import type { TextContractContext, TextRequest, TextWireContract } from '../text/text-contract.ts';
import type { HttpAnswer } from '../wire-contract.ts';
import { NHN_CODES, nhnSuccess, refuse } from './nhn-alimtalk-answers.ts';
import { handleNhnSend, headerText } from './nhn-alimtalk-send.ts';
import { handleNhnTemplates } from './nhn-alimtalk-template-routes.ts';

/**
 * NHN Cloud KakaoTalk Bizmessage AlimTalk v2.3 as the simulator speaks it (ATDOC
 * `en/alimtalk-api-guide.md`, TOAST-DOCS/Alimtalk), under `/alimtalk/v2.3/appkeys/{appkey}`:
 *
 *   POST /messages                                   substitution send (nhn-alimtalk-send.ts)
 *   GET  /messages/{requestId}/{recipientSeq}        one message's result (Kakao's code)
 *   GET  /senders/{senderKey}/templates              template list (nhn-alimtalk-template-routes.ts)
 *   POST /senders/{senderKey}/templates              template registration
 *   PUT  /senders/{senderKey}/templates/{code}       template modification
 *
 * Auth as NHN checks it: the appkey in the path (-1000) and the X-Secret-Key header (-1001) against
 * the vendor's trust entry; bodies must be application/json (-9996).
 */
export const NHN_ALIMTALK_CONTRACT: TextWireContract = {
  async handle(request: TextRequest, context: TextContractContext): Promise<HttpAnswer | null> {
    const url = new URL(request.path, 'http://nhn.invalid');
    const segments = url.pathname
      .split('/')
      .filter((segment) => segment !== '')
      .map(decodeURIComponent);
    if (segments[0] !== 'alimtalk' || segments[1] !== 'v2.3' || segments[2] !== 'appkeys' || !segments[3]) {
      return { ...refuse(NHN_CODES.noSuchApi), status: 404 };
    }
    const trust = context.text.trust[request.vendorId];
    if (trust === undefined || !sameText(segments[3], trust.accountId))
      return refuse(NHN_CODES.invalidAppKey);
    const secret = headerText(request.headers['x-secret-key']);
    if (secret === undefined || !sameText(secret, trust.secret)) return refuse(NHN_CODES.invalidSecretKey);
    if (
      request.method !== 'GET' &&
      !String(request.headers['content-type'] ?? '').startsWith('application/json')
    ) {
      return refuse(NHN_CODES.jsonOnly);
    }
    const rest = segments.slice(4);
    if (rest[0] === 'messages') {
      if (rest.length === 1 && request.method === 'POST') return handleNhnSend(request, context);
      if (rest.length === 3 && request.method === 'GET')
        return lookUp(request.vendorId, rest[1]!, rest[2]!, context);
    }
    if (rest[0] === 'senders' && rest[2] === 'templates' && rest[1]) {
      const answer = await handleNhnTemplates(request, url, rest[1], rest.slice(3), context);
      if (answer !== undefined) return answer;
    }
    return { ...refuse(NHN_CODES.noSuchApi), status: 404 };
  },
};

/**
 * The single-message look-up: messageStatus COMPLETED (Kakao 1000) or FAILED with Kakao's code
 * once the result is known; READY with no code before (DeliveryResults.resultDelayMs); -1016 for
 * a requestId/recipientSeq this vendor never accepted.
 */
function lookUp(vendorId: string, requestId: string, seq: string, context: TextContractContext): HttpAnswer {
  const result = context.text.results.get(vendorId, `${requestId}:${seq}`);
  if (result === undefined) return refuse(NHN_CODES.messageNotFound);
  const now = context.text.now();
  const known = now >= result.readyAt;
  const code = known ? result.code : null;
  return nhnSuccess({
    message: {
      requestId,
      recipientSeq: Number(seq),
      senderKey: result.detail?.senderKey ?? null,
      templateCode: result.detail?.templateCode ?? null,
      recipientNo: result.to,
      content: result.detail?.content ?? null,
      receiveDate: known ? kstText(result.readyAt) : null,
      messageStatus: known ? (code === '1000' ? 'COMPLETED' : 'FAILED') : 'READY',
      resultCode: code,
      resultCodeName: code === null ? null : (KAKAO_NAMES[code] ?? 'Failed'),
      resendStatus: 'RSC01',
      recipientGroupingKey: result.messageId,
    },
  });
}

/** Kakao's delivery result names (ATDOC `en/error-code.md`, Delivery Result Code). */
const KAKAO_NAMES: Readonly<Record<string, string>> = {
  '1000': 'Success',
  '3016': 'Message content does not match the template',
  '3018': 'Message cannot be sent',
  '3019': 'Not a KakaoTalk user',
  '3020': 'Blocked the AlimTalk',
};

/** NHN's "yyyy-MM-dd HH:mm:ss", Korea time. */
function kstText(at: number): string {
  return new Date(at + 9 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
