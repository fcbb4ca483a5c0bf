import { createHash, randomUUID } from 'node:crypto';
import type { AnsweredOutcome, SimulatedSend } from '../simulated-vendor.ts';
import type { TextContractContext, TextRequest } from '../text/text-contract.ts';
import type { SimTemplate } from '../text/vendor-templates.ts';
import type { HttpAnswer } from '../wire-contract.ts';
import {
  NHN_CODES,
  type NhnRefusal,
  nhnAnswer,
  outageAnswer,
  refuse,
  throttledAnswer,
} from './nhn-alimtalk-answers.ts';

interface Recipient {
  readonly recipientNo?: unknown;
  readonly templateParameter?: unknown;
  readonly resendParameter?: { readonly isResend?: unknown };
  readonly buttons?: unknown;
  readonly recipientGroupingKey?: unknown;
}

interface SendBody {
  readonly senderKey?: unknown;
  readonly templateCode?: unknown;
  readonly senderGroupingKey?: unknown;
  readonly recipientList?: unknown;
}

const MAX_RECIPIENTS = 1_000;
/**
 * A recipientNo NHN can send to: digits only, at most 15 (the field's limit), and at least 8, as no
 * phone number (a Korean one from 9 digits, an international one with its country code) is
 * shorter; anything else is that recipient's -4019 while the call's others go.
 */
const RECIPIENT_NO = /^\d{8,15}$/;

/**
 * `POST /alimtalk/v2.3/appkeys/{appkey}/messages`, the substitution send, with NHN's checks (ATDOC
 * `en/alimtalk-api-guide.md`, `en/error-code.md`): the call's fields (senderKey <= 40, templateCode
 * <= 20, recipientList 1..1000), the sender key on record (-2017), the template there, of this
 * sender key (-3003) and approved (-3005); then per recipient: the number (-4019, 8 to 15 digits), no fallback
 * asked of an account that has none set up (-2502: herald must turn NHN's off), buttons naming
 * the template's (-3033). Each accepted recipient's Kakao outcome is recorded for the look-up:
 * the audience's (1000/3018/3019/3020), or 3016 when the template's #{variables} are not all
 * given (Kakao refuses content that is not the template filled in).
 */
export async function handleNhnSend(
  request: TextRequest,
  context: TextContractContext,
): Promise<HttpAnswer | null> {
  const body = parse(request.body);
  if (body === undefined) return refuse(NHN_CODES.unreadableBody);
  const { vendorId } = request;
  const checked = checkCall(body, context, vendorId);
  if ('status' in checked) return checked;
  const { template, recipients } = checked;
  const refusals = recipients.map((recipient) => recipientRefusal(recipient, template));
  const idempotencyKey = headerText(request.headers['x-nc-api-idempotency-key']);
  const sends: SimulatedSend[] = [];
  recipients.forEach((recipient, index) => {
    if (refusals[index] !== undefined) return;
    const grouping = recipient.recipientGroupingKey;
    sends.push({
      messageId: typeof grouping === 'string' && grouping !== '' ? grouping : randomUUID(),
      idempotencyKey:
        idempotencyKey === undefined || recipients.length === 1
          ? idempotencyKey
          : `${idempotencyKey}#${index}`,
    });
  });
  const outcomes = await context.vendor.handleMany(sends, context.shutdown);
  if (outcomes.kind === 'hang') return null;
  if (outcomes.kind === 'rate-limited') return throttledAnswer(outcomes.retryAfterMs);
  if (outcomes.kind === 'failed') return outageAnswer(outcomes.outcome.error);
  // The request id follows from the first accepted outcome, so a call replayed by its idempotency
  // key gets the same id back (and its look-up still finds the message).
  const firstAccepted = outcomes.outcomes.find((outcome) => outcome.kind === 'accepted');
  const requestId = requestIdOf(
    firstAccepted?.kind === 'accepted' ? firstAccepted.vendorMessageId : randomUUID(),
  );
  let next = 0;
  const sendResults = recipients.map((recipient, index) => {
    const refusal = refusals[index];
    if (refusal !== undefined) return resultOf(recipient, index, refusal[0], refusal[1]);
    const at = next;
    next += 1;
    return acceptOrRefuse(
      context,
      vendorId,
      requestId,
      template,
      recipient,
      index,
      sends[at]!,
      outcomes.outcomes[at]!,
    );
  });
  const allFailed = sendResults.every((result) => result.resultCode !== 0);
  const [code, message] = allFailed ? NHN_CODES.allReceiversFailed : [0, 'SUCCESS'];
  return nhnAnswer(code, message, {
    message: { requestId, senderGroupingKey: body.senderGroupingKey ?? null, sendResults },
  });
}

function resultOf(recipient: Recipient, index: number, resultCode: number, resultMessage: string) {
  return {
    recipientSeq: index + 1,
    recipientNo: recipient.recipientNo,
    recipientGroupingKey: recipient.recipientGroupingKey,
    resultCode,
    resultMessage,
  };
}

/** One recipient the behaviour decided on: refused with its 4xx code, or accepted and its Kakao outcome recorded. */
function acceptOrRefuse(
  context: TextContractContext,
  vendorId: string,
  requestId: string,
  template: SimTemplate,
  recipient: Recipient,
  index: number,
  send: SimulatedSend,
  outcome: AnsweredOutcome,
) {
  if (outcome.kind !== 'accepted') {
    const code =
      outcome.kind === 'failed' && /^-\d+$/.test(outcome.error.code) ? Number(outcome.error.code) : -9997;
    return resultOf(recipient, index, code, 'Refused.');
  }
  const recipientSeq = index + 1;
  const content = render(template.body, recipient.templateParameter);
  const to = String(recipient.recipientNo);
  context.text.results.record(vendorId, `${requestId}:${recipientSeq}`, {
    messageId: send.messageId,
    to,
    code: content.includes('#{') ? '3016' : context.text.kakao.outcomeFor(to),
    detail: { requestId, recipientSeq, senderKey: template.senderId, templateCode: template.code, content },
  });
  return resultOf(recipient, index, 0, 'SUCCESS');
}

function checkCall(
  body: SendBody,
  context: TextContractContext,
  vendorId: string,
): HttpAnswer | { template: SimTemplate; recipients: Recipient[] } {
  const { senderKey, templateCode, recipientList } = body;
  if (typeof senderKey !== 'string' || senderKey === '') return refuse(NHN_CODES.blank, 'senderKey');
  if (senderKey.length > 40) return refuse(NHN_CODES.tooLong, 'senderKey');
  if (typeof templateCode !== 'string' || templateCode === '') return refuse(NHN_CODES.blank, 'templateCode');
  if (templateCode.length > 20) return refuse(NHN_CODES.tooLong, 'templateCode');
  if (!Array.isArray(recipientList) || recipientList.length === 0)
    return refuse(NHN_CODES.blank, 'recipientList');
  if (recipientList.length > MAX_RECIPIENTS) return refuse(NHN_CODES.outOfRange, 'recipientList');
  if (!context.text.kakaoSenders.allows(vendorId, senderKey)) return refuse(NHN_CODES.senderNotFound);
  const template = context.text.templates.get(vendorId, templateCode);
  if (template === undefined || template.senderId !== senderKey) return refuse(NHN_CODES.templateNotFound);
  if (template.state !== 'approved') return refuse(NHN_CODES.templateStatus);
  return { template, recipients: recipientList.map((item) => (isRecord(item) ? item : {})) };
}

function recipientRefusal(recipient: Recipient, template: SimTemplate): NhnRefusal | undefined {
  const { recipientNo, templateParameter, resendParameter, buttons, recipientGroupingKey } = recipient;
  if (typeof recipientNo !== 'string' || !RECIPIENT_NO.test(recipientNo)) return NHN_CODES.invalidRecipient;
  if (templateParameter !== undefined && !isStringRecord(templateParameter))
    return NHN_CODES.templateParameter;
  // The simulated account has no fallback set up: NHN refuses a resend it cannot make.
  if (resendParameter?.isResend === true) return NHN_CODES.resendNotConfigured;
  if (typeof recipientGroupingKey === 'string' && recipientGroupingKey.length > 100) return NHN_CODES.tooLong;
  if (buttons !== undefined) {
    if (!Array.isArray(buttons)) return NHN_CODES.invalidButton;
    const known = template.buttons.length;
    const named = buttons.map((button) => (isRecord(button) ? button.ordering : undefined));
    if (
      named.some(
        (ordering) => !Number.isInteger(ordering) || (ordering as number) < 1 || (ordering as number) > known,
      )
    ) {
      return NHN_CODES.buttonNotInTemplate;
    }
  }
  return undefined;
}

/** The template with #{key} replaced by the recipient's values; a key without a value stays. */
function render(body: string, parameters: unknown): string {
  const values = isStringRecord(parameters) ? parameters : {};
  return body.replace(/#\{([^}]+)\}/g, (whole, key: string) =>
    Object.hasOwn(values, key) ? values[key]! : whole,
  );
}

/** NHN's request ids are 25 characters (e.g. 20180810100630ReZQ6KZzAH0); this one is derived from the outcome. */
function requestIdOf(seed: string): string {
  return createHash('sha256').update(seed).digest('base64url').replace(/[-_]/g, 'x').slice(0, 25);
}

function parse(body: Buffer): SendBody | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function headerText(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text === '' ? undefined : text;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return isRecord(value) && Object.values(value).every((item) => typeof item === 'string');
}
