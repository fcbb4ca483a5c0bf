import { CHANNEL_LIMITS, renderLimit, subjectNotSupported } from '../content/channel-limits.ts';
import type { ContentUnderCheck } from '../content/content-rules.ts';
import { checkCharacters, checkContent } from '../content/content-rules.ts';
import { checkHtmlChannel, checkHtmlSize, EMAIL_HTML_LIMIT } from '../content/email-html.ts';
import type { VariableNames } from '../content/placeholders.ts';
import { hasPlaceholders, parsePlaceholders, variableNames } from '../content/placeholders.ts';
import type { BoundedText } from '../content/render-template.ts';
import { boundText } from '../content/render-template.ts';
import type { Channel } from '../domain/channel.ts';
import { isChannel } from '../domain/channel.ts';
import { HeraldError } from '../domain/errors.ts';
import { isLane } from '../domain/lane.ts';
import type { InlineContent } from '../domain/message.ts';
import type { AlimTalkTemplate } from '../templates/alimtalk-template.ts';
import type { TemplateLookup } from '../templates/template-lookup.ts';
import { usableTemplate } from '../templates/template-lookup.ts';
import { checkAdRequest } from './check-ad-request.ts';
import { checkPushOptions } from './check-push-options.ts';
import { checkRecipientForms } from './recipient-forms.ts';
import type { SubmissionRequest, Vars } from './submission-types.ts';

/**
 * Request-level checks: what makes the whole request unusable, whatever the recipients. Throws a
 * HeraldError (the API answers 4xx and nothing is accepted). The HTTP schema checks most shapes
 * already; the rules are repeated here because the use-case has other callers (CLI, tests) and
 * must not trust its input.
 *
 * The text is parsed here once. Fixed text (no placeholders) is the same for every recipient, so it
 * goes through the content rules here, once: a breach is the request's 400, not one rejection per
 * recipient. Text with placeholders is rendered and judged per recipient (render-for-recipient.ts),
 * except for the rules that judge characters, whose breach in the request's own text would be
 * every recipient's.
 */
export const MAX_RECIPIENTS = 100;
export const IDEMPOTENCY_KEY_MAX = 255;

/** What the content rules need besides the text itself, the same for every recipient. */
export type TextContext = Omit<ContentUnderCheck, 'subject' | 'body' | 'recipient'>;

/** The request's content, resolved and parsed. */
export type RequestContent =
  /** Inline text without placeholders, checked: sent as it is, on `channel`, to every recipient. */
  | { readonly kind: 'fixed'; readonly content: InlineContent; readonly channel: Channel }
  /** Inline text with placeholders, rendered per recipient within the channel's limits. */
  | {
      readonly kind: 'inline';
      readonly context: TextContext;
      readonly body: BoundedText;
      readonly subject?: BoundedText;
      /** E-mail: the HTML part, its values escaped when rendered (content/email-html.ts). */
      readonly html?: BoundedText;
      readonly names: VariableNames;
    }
  /** A registered AlimTalk template with the request's shared variables. */
  | {
      readonly kind: 'template';
      readonly context: TextContext;
      readonly template: AlimTalkTemplate;
      readonly sharedVars: Vars;
      readonly body: BoundedText;
      readonly names: VariableNames;
    };

export async function checkRequest(
  request: SubmissionRequest,
  templates: TemplateLookup,
  smsAutoUpgrade: boolean,
  /** The vendors AlimTalk is routed to (weight > 0): the template must be approved at one. */
  alimtalkVendors: readonly string[],
): Promise<RequestContent> {
  checkEnvelopeFields(request);
  checkRecipientForms(request);
  checkPushOptions(request);
  const senderName = checkAdRequest(request);
  if ((request.content === undefined) === (request.template === undefined)) {
    throw new HeraldError(
      'HERALD_MISSING_CONTENT',
      request.content
        ? 'give either content or template, not both'
        : request.channel === 'alimtalk'
          ? 'alimtalk messages need template ({ code, vars })'
          : `${request.channel} messages need content ({ subject?, body })`,
      { field: 'content' },
    );
  }
  const context = (source: TextContext['source']): TextContext => ({
    channel: request.channel,
    lane: request.lane,
    source,
    smsAutoUpgrade,
    ...(senderName === undefined ? {} : { senderName }),
    ...(request.push === undefined ? {} : { push: request.push }),
  });
  if (request.channel === 'alimtalk') {
    return resolveTemplate(request, templates, alimtalkVendors, context('template'));
  }
  if (!request.content) {
    throw new HeraldError(
      'HERALD_MISSING_CONTENT',
      `${request.channel} messages need content ({ subject?, body }); templates are for alimtalk`,
      { field: 'content' },
    );
  }
  return parseInline(request.content, context('content'));
}

function parseInline(content: InlineContent, context: TextContext): RequestContent {
  const body = parsePlaceholders(content.body);
  const subject = content.subject === undefined ? undefined : parsePlaceholders(content.subject);
  if (content.html !== undefined) checkHtmlChannel(context.channel, context.source);
  const html = content.html === undefined ? undefined : parsePlaceholders(content.html);
  const text = { ...context, body: content.body, subject: content.subject };
  if (!hasPlaceholders(body) && !(subject && hasPlaceholders(subject)) && !(html && hasPlaceholders(html))) {
    const checked = checkContent(text);
    if (!checked.ok) throw checked.error;
    if (content.html !== undefined) checkHtmlSize(content.html, `${context.source}.html`);
    const fixed = {
      ...(content.subject !== undefined && { subject: content.subject }),
      body: content.body,
      ...(content.html !== undefined && { html: content.html }),
    };
    return { kind: 'fixed', content: fixed, channel: checked.value };
  }
  const breach = checkCharacters(text);
  if (breach) throw breach;
  const subjectLimit = renderLimit(context.channel, 'subject', context.smsAutoUpgrade);
  if (subject && !subjectLimit) throw subjectNotSupported(context.channel, context);
  return {
    kind: 'inline',
    context,
    body: boundText(body, renderLimit(context.channel, 'body', context.smsAutoUpgrade)!),
    ...(subject && subjectLimit ? { subject: boundText(subject, subjectLimit) } : {}),
    ...(html && { html: boundText(html, EMAIL_HTML_LIMIT) }),
    names: variableNames(...(subject ? [subject] : []), body, ...(html ? [html] : [])),
  };
}

function checkEnvelopeFields(request: SubmissionRequest): void {
  if (!isChannel(request.channel)) {
    throw new HeraldError(
      'HERALD_UNKNOWN_CHANNEL',
      'channel must be one of push, sms, lms, mms, alimtalk, email, vms',
      {
        field: 'channel',
      },
    );
  }
  if (!isLane(request.lane)) {
    throw new HeraldError('HERALD_UNKNOWN_LANE', 'lane must be one of realtime, batch, ad', {
      field: 'lane',
    });
  }
  if (request.recipients.length === 0) {
    throw new HeraldError('HERALD_NO_RECIPIENTS', 'recipients must have at least 1 entry', {
      field: 'recipients',
    });
  }
  if (request.recipients.length > MAX_RECIPIENTS) {
    throw new HeraldError(
      'HERALD_TOO_MANY_RECIPIENTS',
      `recipients has ${request.recipients.length} entries; at most ${MAX_RECIPIENTS} per request`,
      { field: 'recipients' },
    );
  }
  const key = request.idempotencyKey;
  if (key !== undefined && (key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX)) {
    throw new HeraldError(
      'HERALD_INVALID_IDEMPOTENCY_KEY',
      `the Idempotency-Key header must be 1-${IDEMPOTENCY_KEY_MAX} characters`,
      { field: 'Idempotency-Key' },
    );
  }
  const expires = request.expiresInSeconds;
  if (expires !== undefined && !(Number.isInteger(expires) && expires > 0)) {
    throw new HeraldError('HERALD_VALIDATION_FAILED', 'expiresInSeconds must be a positive integer', {
      field: 'expiresInSeconds',
    });
  }
}

async function resolveTemplate(
  request: SubmissionRequest,
  templates: TemplateLookup,
  alimtalkVendors: readonly string[],
  context: TextContext,
): Promise<RequestContent> {
  if (!request.template) {
    throw new HeraldError(
      'HERALD_MISSING_CONTENT',
      'alimtalk messages need template ({ code, vars }): Kakao only delivers approved templates',
      { field: 'template' },
    );
  }
  const template = usableTemplate(
    await templates.get(request.clientId, request.template.code),
    request.template.code,
    alimtalkVendors,
  );
  const body = parsePlaceholders(template.body);
  return {
    kind: 'template',
    context,
    template,
    sharedVars: request.template.vars ?? {},
    body: boundText(body, CHANNEL_LIMITS.alimtalk.body),
    names: variableNames(body),
  };
}
