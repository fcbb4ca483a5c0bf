import { fitContentToChannel } from '../content/channel-limits.ts';
import type { Checked } from '../content/checked.ts';
import { accept, reject } from '../content/checked.ts';
import { findNonEucKr } from '../content/euc-kr.ts';
import { checkRecipient } from '../content/recipients.ts';
import { renderTemplate } from '../content/render-template.ts';
import type { Channel } from '../domain/channel.ts';
import { HeraldError } from '../domain/errors.ts';
import type { InlineContent, TemplateRef } from '../domain/message.ts';
import { checkRenderedAd } from './check-ad-request.ts';
import type { RequestContent } from './check-request.ts';
import { EUC_KR_CHANNELS } from './check-request.ts';
import type { SubmissionRequest, Vars } from './submission-types.ts';

/** One recipient turned into a message ready to be keyed, recorded and queued. */
export interface PreparedMessage {
  readonly index: number;
  /** Normalised recipient. */
  readonly to: string;
  /** The channel it is sent on (an SMS may have become an LMS). */
  readonly channel: Channel;
  readonly content?: InlineContent;
  readonly template?: TemplateRef;
}

/**
 * Per-recipient checks, in order: the address, the variables, then the rendered text (EUC-KR and
 * size, which depend on the variables, so one recipient's long name can turn only their SMS into an
 * LMS). A failure rejects this recipient alone.
 */
export function prepareRecipient(
  request: SubmissionRequest,
  requestContent: RequestContent,
  index: number,
  smsAutoUpgrade: boolean,
): Checked<PreparedMessage> {
  const recipient = request.recipients[index]!;
  const to = checkRecipient(request.channel, recipient.to, `recipients[${index}].to`);
  if (!to.ok) {
    return to;
  }
  const rendered =
    requestContent.kind === 'inline'
      ? renderInline(request, requestContent.content, index, smsAutoUpgrade)
      : renderTemplateRef(requestContent, recipient.vars ?? {}, index);
  if (!rendered.ok) {
    return rendered;
  }
  const { channel, content, template } = rendered.value;
  return accept({ index, to: to.value, channel, content, template });
}

interface RenderedMessage {
  readonly channel: Channel;
  readonly content?: InlineContent;
  readonly template?: TemplateRef;
}

function renderInline(
  request: SubmissionRequest,
  content: InlineContent,
  index: number,
  smsAutoUpgrade: boolean,
): Checked<RenderedMessage> {
  const vars = request.recipients[index]!.vars ?? {};
  const body = renderTemplate(content.body, vars);
  const subject = content.subject === undefined ? undefined : renderTemplate(content.subject, vars);
  const missing = [...new Set([...(subject?.missing ?? []), ...body.missing])];
  if (missing.length > 0) {
    return reject(missingVariables(missing, index, 'content'));
  }
  const rendered: InlineContent =
    subject === undefined ? { body: body.text } : { subject: subject.text, body: body.text };
  if (EUC_KR_CHANNELS.has(request.channel)) {
    const problem = findNonEucKrVariable(rendered, index, request.channel);
    if (problem) {
      return reject(problem);
    }
  }
  const renderedFor = Object.keys(vars).length > 0 ? ` (rendered for recipients[${index}])` : '';
  const adProblem = checkRenderedAd(request, rendered.body, renderedFor);
  if (adProblem) {
    return reject(adProblem);
  }
  const channel = fitContentToChannel(request.channel, rendered, { smsAutoUpgrade, renderedFor });
  return channel.ok ? accept({ channel: channel.value, content: rendered }) : channel;
}

/**
 * AlimTalk: the worker renders the approved template; here it is rendered only to prove every
 * variable has a value and the result fits Kakao's limit.
 */
function renderTemplateRef(
  requestContent: Extract<RequestContent, { kind: 'template' }>,
  recipientVars: Vars,
  index: number,
): Checked<RenderedMessage> {
  const vars = { ...requestContent.sharedVars, ...recipientVars };
  const body = renderTemplate(requestContent.template.body, vars);
  if (body.missing.length > 0) {
    return reject(missingVariables(body.missing, index, 'template'));
  }
  const fit = fitContentToChannel(
    'alimtalk',
    { body: body.text },
    { smsAutoUpgrade: false, source: 'template', renderedFor: ` (rendered for recipients[${index}])` },
  );
  if (!fit.ok) {
    return fit;
  }
  return accept({ channel: 'alimtalk', template: { code: requestContent.template.code, vars } });
}

function missingVariables(names: readonly string[], index: number, source: string): HeraldError {
  const placeholders = names.map((name) => `#{${name}}`).join(', ');
  const where = source === 'template' ? 'template.vars or ' : '';
  return new HeraldError(
    'HERALD_MISSING_VARIABLE',
    `recipients[${index}].vars has no value for ${placeholders} used in ${source}; ` +
      `give ${names.length === 1 ? 'it' : 'them'} in ${where}recipients[${index}].vars`,
    { field: `recipients[${index}].vars` },
  );
}

/** The request-level text passed already, so an offending character here came from a variable. */
function findNonEucKrVariable(
  content: InlineContent,
  index: number,
  channel: Channel,
): HeraldError | undefined {
  for (const part of ['subject', 'body'] as const) {
    const text = content[part];
    const found = text === undefined ? undefined : findNonEucKr(text);
    if (found) {
      return new HeraldError(
        'HERALD_NOT_EUC_KR',
        `recipients[${index}].vars put a character outside EUC-KR into content.${part} ` +
          `('${found.char}', ${found.codePoint}); ${channel} carries EUC-KR (KS X 1001) text only: no emoji`,
        { field: `recipients[${index}].vars` },
      );
    }
  }
  return undefined;
}
