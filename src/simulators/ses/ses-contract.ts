import type { ReceiveCounter } from '../receive-counter.ts';
import type { SimulatedVendor } from '../simulated-vendor.ts';
import type { HttpAnswer } from '../wire-contract.ts';
import { renderSesOutcome, sesError } from './ses-answers.ts';
import { checkSesSignature, type SignedCall } from './ses-auth-check.ts';
import type { SesTrust } from './ses-credentials.ts';
import { type SesNotificationContext, scheduleSesNotification } from './ses-notifications.ts';

/** The EmailTags entry herald puts its message id in (src/vendors/ses/ses-request.ts). */
export const HERALD_MESSAGE_ID_TAG = 'herald-message-id';

/** SigV4's service name of SES (v1 and v2 alike). */
export const SES_SIGNING_SERVICE = 'ses';

const SEND_EMAIL_PATH = '/v2/email/outbound-emails';

export interface SesCallContext {
  readonly vendor: SimulatedVendor;
  readonly trust: SesTrust | undefined;
  readonly counter: ReceiveCounter;
  readonly shutdown: AbortSignal;
  readonly now?: () => number;
  /** Where and how accepted messages are notified (SNS); absent, they are not. */
  readonly notifications?: Omit<SesNotificationContext, 'shutdown'>;
}

/** A call to `/<vendorId>/<SES path>`: `path` is the part after the vendor prefix. */
export interface SesCall extends SignedCall {
  readonly path: string;
}

/**
 * Amazon SES API v2 `SendEmail` as the simulator serves it, `POST /v2/email/outbound-emails`
 * (restJson1): the SigV4 signature first (ses-auth-check.ts), then the body as SES reads it
 * (FromEmailAddress, Destination.ToAddresses, Content.Simple with Subject and a Text or Html
 * body; 400 BadRequestException otherwise), and herald's message id from the EmailTags entry
 * `herald-message-id`, which the simulator counts deliveries by. Then the vendor's behaviour:
 * latency, errors as SES error answers, 429 TooManyRequestsException, hangs (null). An accepted
 * message is later notified as delivered or bounced through SNS (ses-notifications.ts).
 */
export async function handleSesCall(call: SesCall, context: SesCallContext): Promise<HttpAnswer | null> {
  const refused = checkSesSignature(call, context.trust, SES_SIGNING_SERVICE, context.now?.());
  if (refused !== undefined) return refused;
  if (call.path.split('?', 1)[0] !== SEND_EMAIL_PATH) {
    return sesError(404, 'UnknownOperationException', `The simulator serves only POST ${SEND_EMAIL_PATH}`);
  }
  if (call.method !== 'POST') return sesError(405, 'MethodNotAllowedException', 'Use POST');
  const checked = checkSendEmail(call.body);
  if (typeof checked === 'string') return sesError(400, 'BadRequestException', checked);
  const outcome = await context.vendor.handle(
    { messageId: checked.messageId, idempotencyKey: undefined },
    context.shutdown,
  );
  if (outcome.kind === 'hang') return null;
  const answer = renderSesOutcome(outcome);
  if (outcome.kind === 'accepted' && context.notifications !== undefined) {
    const { MessageId } = answer.body as { MessageId: string };
    scheduleSesNotification(
      { sesMessageId: MessageId, heraldMessageId: checked.messageId, to: checked.to },
      { ...context.notifications, shutdown: context.shutdown },
    );
  }
  return answer;
}

interface Data {
  readonly Data?: unknown;
}

interface SendEmailBody {
  readonly FromEmailAddress?: unknown;
  readonly Destination?: { readonly ToAddresses?: unknown };
  readonly Content?: {
    readonly Simple?: {
      readonly Subject?: Data;
      readonly Body?: { readonly Text?: Data; readonly Html?: Data };
      readonly Headers?: unknown;
    };
  };
  readonly EmailTags?: unknown;
}

const ADDRESS_SHAPE = /^([^<>]* <)?[^\s@<>]+@[^\s@<>]+>?$/;

/** An address, or `Name <address>`, without control characters (SES refuses them in an address). */
function isAddress(value: unknown): boolean {
  return typeof value === 'string' && ADDRESS_SHAPE.test(value) && ![...value].some(isControl);
}

function isControl(char: string): boolean {
  const code = char.charCodeAt(0);
  return code < 0x20 || code === 0x7f;
}

/** herald's message id, or what is wrong with the body (SES' BadRequestException message). */
function checkSendEmail(raw: Buffer): { messageId: string; to: string[] } | string {
  let body: SendEmailBody;
  try {
    body = JSON.parse(raw.toString('utf8')) as SendEmailBody;
  } catch {
    return 'The request body is not valid JSON';
  }
  if (typeof body !== 'object' || body === null) return 'The request body is not a JSON object';
  if (!isAddress(body.FromEmailAddress)) {
    return 'FromEmailAddress is required and must be an e-mail address';
  }
  const to = body.Destination?.ToAddresses;
  if (!Array.isArray(to) || to.length === 0 || to.length > 50 || !to.every(isAddress)) {
    return 'Destination.ToAddresses must list 1 to 50 e-mail addresses';
  }
  const simple = body.Content?.Simple;
  if (typeof simple?.Subject?.Data !== 'string') return 'Content.Simple.Subject.Data is required';
  const text = simple.Body?.Text?.Data;
  const html = simple.Body?.Html?.Data;
  if (typeof text !== 'string' && typeof html !== 'string') return 'Content.Simple.Body needs Text or Html';
  const headersProblem = checkHeaders(simple.Headers);
  if (headersProblem !== undefined) return headersProblem;
  const tags = Array.isArray(body.EmailTags) ? (body.EmailTags as { Name?: unknown; Value?: unknown }[]) : [];
  const tag = tags.find((candidate) => candidate?.Name === HERALD_MESSAGE_ID_TAG);
  if (typeof tag?.Value !== 'string' || !/^[A-Za-z0-9_.@-]{1,256}$/.test(tag.Value)) {
    return `EmailTags needs ${HERALD_MESSAGE_ID_TAG} (herald's message id; the simulator counts by it)`;
  }
  return { messageId: tag.Value, to: to as string[] };
}

/** SES' MessageHeader: a header name (RFC 5322 ftext) and a value without CR, LF or other controls. */
function checkHeaders(headers: unknown): string | undefined {
  if (headers === undefined) return undefined;
  if (!Array.isArray(headers) || headers.length > 15)
    return 'Content.Simple.Headers must list up to 15 headers';
  for (const header of headers as { Name?: unknown; Value?: unknown }[]) {
    if (typeof header?.Name !== 'string' || !/^[!-9;-~]{1,126}$/.test(header.Name)) {
      return 'Content.Simple.Headers[].Name must be a header name';
    }
    if (typeof header.Value !== 'string' || [...header.Value].some(isControl)) {
      return 'Content.Simple.Headers[].Value must be text without control characters';
    }
  }
  return undefined;
}
