import type { ConfigStore, Template } from '../../ports/config-store.ts';
import { fitContentToChannel } from '../content/channel-limits.ts';
import { findNonEucKr } from '../content/euc-kr.ts';
import { templateVariables } from '../content/render-template.ts';
import type { Channel } from '../domain/channel.ts';
import { isChannel } from '../domain/channel.ts';
import { HeraldError } from '../domain/errors.ts';
import { isLane } from '../domain/lane.ts';
import type { InlineContent } from '../domain/message.ts';
import { checkAdRequest } from './check-ad-request.ts';
import type { SubmissionRequest, Vars } from './submission-types.ts';

/**
 * Request-level checks: what makes the whole request unusable, whatever the recipients. Throws a
 * HeraldError (the API answers 4xx and nothing is accepted). The HTTP schema checks most shapes
 * already; the rules are repeated here because the use-case has other callers (CLI, tests) and
 * must not trust its input.
 */
export const MAX_RECIPIENTS = 100;
export const IDEMPOTENCY_KEY_MAX = 255;
/** Channels carried as EUC-KR by Korean carriers (see content/euc-kr.ts). */
export const EUC_KR_CHANNELS: ReadonlySet<Channel> = new Set(['sms', 'lms', 'mms']);

/** The request's content, resolved: inline text, or a registered template with shared variables. */
export type RequestContent =
  | { readonly kind: 'inline'; readonly content: InlineContent }
  | { readonly kind: 'template'; readonly template: Template; readonly sharedVars: Vars };

export async function checkRequest(
  request: SubmissionRequest,
  templates: Pick<ConfigStore, 'getTemplate'>,
  smsAutoUpgrade: boolean,
): Promise<RequestContent> {
  checkEnvelopeFields(request);
  checkAdRequest(request);
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
  if (request.channel === 'alimtalk') {
    return resolveTemplate(request, templates);
  }
  if (!request.content) {
    throw new HeraldError(
      'HERALD_MISSING_CONTENT',
      `${request.channel} messages need content ({ subject?, body }); templates are for alimtalk`,
      { field: 'content' },
    );
  }
  if (EUC_KR_CHANNELS.has(request.channel)) {
    checkEucKr(request.content.subject, 'content.subject', request.channel);
    checkEucKr(request.content.body, 'content.body', request.channel);
  }
  checkFixedTextFits(request.channel, request.content, smsAutoUpgrade);
  return { kind: 'inline', content: request.content };
}

/**
 * Text without placeholders is the same for every recipient, so a size problem is the request's,
 * not each recipient's: answer it once (400 with its own code) instead of rejecting all recipients.
 * Text with placeholders is measured per recipient, after rendering.
 */
function checkFixedTextFits(channel: Channel, content: InlineContent, smsAutoUpgrade: boolean): void {
  if (templateVariables(content.body).length > 0 || templateVariables(content.subject ?? '').length > 0) {
    return;
  }
  const fit = fitContentToChannel(channel, content, { smsAutoUpgrade });
  if (!fit.ok) {
    throw fit.error;
  }
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
  templates: Pick<ConfigStore, 'getTemplate'>,
): Promise<RequestContent> {
  if (!request.template) {
    throw new HeraldError(
      'HERALD_MISSING_CONTENT',
      'alimtalk messages need template ({ code, vars }): Kakao only delivers approved templates',
      { field: 'template' },
    );
  }
  const template = await templates.getTemplate(request.template.code);
  if (!template) {
    throw new HeraldError(
      'HERALD_TEMPLATE_NOT_FOUND',
      'template.code is not a registered template; register it with PUT /admin/templates/:code',
      { field: 'template.code' },
    );
  }
  return { kind: 'template', template, sharedVars: request.template.vars ?? {} };
}

function checkEucKr(text: string | undefined, field: string, channel: Channel): void {
  const found = text === undefined ? undefined : findNonEucKr(text);
  if (found) {
    throw new HeraldError(
      'HERALD_NOT_EUC_KR',
      `${field} has a character outside EUC-KR at index ${found.index} ('${found.char}', ${found.codePoint}); ` +
        `${channel} carries EUC-KR (KS X 1001) text only: no emoji, CP949-only Hangul or rare Hanja`,
      { field },
    );
  }
}
