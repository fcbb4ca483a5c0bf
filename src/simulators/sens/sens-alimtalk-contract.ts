import { randomUUID } from 'node:crypto';
import { formatSensTime } from '../../vendors/sens/sens-text.ts';
import type { TextContractContext, TextRequest, TextWireContract } from '../text/text-contract.ts';
import type { HttpAnswer } from '../wire-contract.ts';
import { checkSensAlimtalk } from './sens-alimtalk-checks.ts';
import { createTemplate, listTemplates } from './sens-alimtalk-templates.ts';
import { accepted, sensError, wholeCallAnswer } from './sens-answers.ts';
import { checkSensCall, heraldMessageIds } from './sens-auth.ts';
import { parseJson } from './sens-sms-contract.ts';

/**
 * SENS AlimTalk as the simulator speaks it, under `/<vendorId>`:
 *
 *   POST /alimtalk/v2/services/{serviceId}/messages            -> 202 {requestId,..., messages:[{messageId,
 *        requestStatusCode:"A000"|<refusal>, requestStatusName, requestStatusDesc, useSmsFailover}]}
 *   GET  /alimtalk/v2/services/{serviceId}/messages/{messageId} -> 200 {..., messageStatusCode?}
 *   GET  /alimtalk/v2/services/{serviceId}/templates?channelId= -> 200 [templates]
 *   POST /alimtalk/v2/services/{serviceId}/templates            -> 200 {template}
 *
 * An accepted message's Kakao result (the shared KakaoAudience's outcome for the number) is
 * recorded in text.results at once; the look-up reports it once `readyAt` has passed (before,
 * without a messageStatusCode: Kakao has not answered). Kakao 1000 is SENS' "0000".
 */
export const SENS_ALIMTALK_CONTRACT: TextWireContract = {
  async handle(request, context) {
    const call = checkSensCall(request, context.text, 'alimtalk');
    if (!call.ok) return call.answer;
    const [route = '', query = ''] = call.rest.split('?');
    if (request.method === 'POST' && route === '/messages') return send(request, context);
    const lookUp = /^\/messages\/([^/]+)$/.exec(route);
    if (request.method === 'GET' && lookUp !== null) return result(request.vendorId, lookUp[1]!, context);
    if (route === '/templates' && request.method === 'GET') {
      return listTemplates(request.vendorId, new URLSearchParams(query), context.text);
    }
    if (route === '/templates' && request.method === 'POST') {
      return createTemplate(request.vendorId, parseJson(request.body), context.text);
    }
    return sensError(404, 'Not Found');
  },
};

async function send(request: TextRequest, context: TextContractContext): Promise<HttpAnswer | null> {
  const checked = checkSensAlimtalk(parseJson(request.body), request.vendorId, context.text);
  if (!checked.ok) return sensError(400, 'Bad Request', checked.problems);
  const { plusFriendId, template, messages } = checked.send;
  const ids = heraldMessageIds(request.headers);
  const sends = messages.map((_message, index) => ({
    messageId: ids[index] ?? randomUUID(),
    idempotencyKey: undefined,
  }));
  const outcomes = await context.vendor.handleMany(sends, context.shutdown);
  const whole = wholeCallAnswer(outcomes);
  if (whole !== undefined) return whole;
  if (outcomes.kind !== 'answered') return null;
  const now = context.text.now();
  const requestTime = formatSensTime(now);
  const rendered = outcomes.outcomes.map((outcome, index) => {
    const { to, content } = messages[index]!;
    const common = { to, countryCode: '82', content, useSmsFailover: false };
    if (outcome.kind !== 'accepted') {
      const code = outcome.kind === 'failed' ? outcome.error.code : '429';
      return {
        ...common,
        messageId: randomUUID(),
        requestStatusCode: code,
        requestStatusName: 'fail',
        requestStatusDesc: `Simulated ${code}`,
      };
    }
    context.text.results.record(
      request.vendorId,
      outcome.vendorMessageId,
      {
        messageId: sends[index]!.messageId,
        to,
        code: context.text.kakao.outcomeFor(to),
        detail: { plusFriendId, templateCode: template.code, content, requestTime },
      },
      now,
    );
    return {
      ...common,
      messageId: outcome.vendorMessageId,
      requestStatusCode: 'A000',
      requestStatusName: 'success',
      requestStatusDesc: '성공',
    };
  });
  return accepted(now, { messages: rendered });
}

/** GET .../messages/{messageId} (sens-alimtalk-get); 404 for an id this project never sent. */
function result(vendorId: string, encodedId: string, context: TextContractContext): HttpAnswer {
  const messageId = decodeURIComponent(encodedId);
  const found = context.text.results.get(vendorId, messageId);
  if (found === undefined) return sensError(404, 'Not Found');
  const now = context.text.now();
  const detail = found.detail ?? {};
  const known = now >= found.readyAt;
  const code = found.code === '1000' ? '0000' : found.code;
  return {
    status: 200,
    body: {
      messageId,
      requestTime: detail.requestTime,
      plusFriendId: detail.plusFriendId,
      templateCode: detail.templateCode,
      countryCode: '82',
      to: found.to,
      content: detail.content,
      requestStatusCode: 'A000',
      requestStatusName: 'success',
      useSmsFailover: false,
      ...(known
        ? {
            completeTime: formatSensTime(found.readyAt),
            messageStatusCode: code,
            messageStatusName: code === '0000' ? 'success' : 'fail',
            messageStatusDesc: KAKAO_DESCRIPTIONS[found.code] ?? found.code,
          }
        : { messageStatusName: 'processing' }),
    },
  };
}

const KAKAO_DESCRIPTIONS: Readonly<Record<string, string>> = {
  '1000': '성공',
  '3018': '메시지를 전송할 수 없음',
  '3019': '톡 유저가 아님',
  '3020': '알림톡 수신 차단',
};
