import { randomUUID } from 'node:crypto';
import { formatSensTime } from '../../vendors/sens/sens-text.ts';
import type { TextContractContext, TextRequest, TextWireContract } from '../text/text-contract.ts';
import type { HttpAnswer } from '../wire-contract.ts';
import { accepted, sensError, wholeCallAnswer } from './sens-answers.ts';
import { checkSensCall, heraldMessageIds } from './sens-auth.ts';
import { checkSensSms } from './sens-sms-checks.ts';
import { getSensSms, listSensSms, recordSensSms } from './sens-sms-results.ts';

/** SENS keeps an upload 6 days (sens-sms-file-create); JPG/JPEG, name <= 40 characters, <= 300 KB. */
const FILE_LIFETIME_MS = 6 * 24 * 3_600_000;
const MAX_FILE_BYTES = 300 * 1024;

/**
 * SENS SMS as the simulator speaks it, under `/<vendorId>`:
 *
 *   POST /sms/v2/services/{serviceId}/messages  -> 202 {requestId, requestTime, statusCode, statusName}
 *   POST /sms/v2/services/{serviceId}/files     {fileName, fileBody} -> 200 {fileId, createTime, expireTime}
 *   GET  /sms/v2/services/{serviceId}/messages?requestId=...   the request's messages (sens-sms-results.ts)
 *   GET  /sms/v2/services/{serviceId}/messages/{messageId}     one message's result, telcoCode included
 *
 * The gateway's checks first (sens-auth.ts), then the body's (sens-sms-checks.ts: 400 with SENS'
 * error body), then the vendor's behaviour per recipient. SENS takes or refuses a request whole,
 * so a recipient's simulated 4xx refuses the call with that status. herald's message ids come in
 * `x-herald-message-id`, so the simulator counts per herald message.
 */
export const SENS_SMS_CONTRACT: TextWireContract = {
  async handle(request, context) {
    const call = checkSensCall(request, context.text, 'sms');
    if (!call.ok) return call.answer;
    const [route = '', query = ''] = call.rest.split('?');
    if (request.method === 'POST' && route === '/messages') return send(request, context);
    if (request.method === 'POST' && route === '/files') return upload(request, context);
    if (request.method === 'GET' && route === '/messages') {
      return listSensSms(request.vendorId, new URLSearchParams(query), context.text);
    }
    const one = /^\/messages\/([^/]+)$/.exec(route);
    if (request.method === 'GET' && one !== null) {
      return getSensSms(request.vendorId, decodeURIComponent(one[1]!), context.text);
    }
    return sensError(404, 'Not Found');
  },
};

async function send(request: TextRequest, context: TextContractContext): Promise<HttpAnswer | null> {
  const body = parseJson(request.body);
  const checked = checkSensSms(body, request.vendorId, context.text);
  if (!checked.ok) return sensError(400, 'Bad Request', checked.problems);
  const ids = heraldMessageIds(request.headers);
  const sends = checked.send.to.map((_to, index) => ({
    messageId: ids[index] ?? randomUUID(),
    idempotencyKey: undefined,
  }));
  // SENS takes a call whole or refuses it: there is no per-recipient result at send time.
  const outcomes = await context.vendor.handleMany(sends, context.shutdown, {
    wholeCallOrNothing: true,
  });
  const whole = wholeCallAnswer(outcomes);
  if (whole !== undefined) return whole;
  if (outcomes.kind !== 'answered') return null;
  const refused = outcomes.outcomes.find((outcome) => outcome.kind === 'failed');
  if (refused?.kind === 'failed') return sensError(refused.error.status, `Simulated ${refused.error.code}`);
  const now = context.text.now();
  const requestId = randomUUID().replaceAll('-', '').slice(0, 20).toUpperCase();
  checked.send.to.forEach((to, index) => {
    const accepted = {
      requestId,
      to,
      heraldMessageId: sends[index]!.messageId,
      type: checked.send.type,
      contentType: checked.send.contentType,
      from: checked.send.from,
    };
    recordSensSms(request.vendorId, accepted, context.text, now);
  });
  return accepted(now, { requestId });
}

async function upload(request: TextRequest, context: TextContractContext): Promise<HttpAnswer> {
  const body = (parseJson(request.body) ?? {}) as { fileName?: unknown; fileBody?: unknown };
  const problems: string[] = [];
  const { fileName, fileBody } = body;
  if (typeof fileName !== 'string' || !/\.jpe?g$/i.test(fileName) || fileName.length > 40) {
    problems.push('fileName must end .jpg or .jpeg and have at most 40 characters');
  }
  const content = typeof fileBody === 'string' ? Buffer.from(fileBody, 'base64') : Buffer.alloc(0);
  if (content.byteLength === 0) problems.push('fileBody must be the image in Base64');
  else if (content.byteLength > MAX_FILE_BYTES) problems.push('fileBody is over 300 KB');
  if (problems.length > 0) return sensError(400, 'Bad Request', problems);
  const now = context.text.now();
  const file = context.text.files.add(request.vendorId, String(fileName), content, FILE_LIFETIME_MS, now);
  return {
    status: 200,
    body: {
      fileId: file.fileId,
      createTime: formatSensTime(now),
      expireTime: formatSensTime(file.expiresAt),
    },
  };
}

export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
