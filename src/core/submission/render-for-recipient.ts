import { tooLong } from '../content/channel-limits.ts';
import type { Checked } from '../content/checked.ts';
import { accept, reject } from '../content/checked.ts';
import { checkContent } from '../content/content-rules.ts';
import { escapedVars, htmlTooLong } from '../content/email-html.ts';
import type { VariableNames } from '../content/placeholders.ts';
import { missingNames } from '../content/placeholders.ts';
import type { BoundedText, RenderMeter } from '../content/render-template.ts';
import { renderWithin } from '../content/render-template.ts';
import type { Channel } from '../domain/channel.ts';
import { HeraldError } from '../domain/errors.ts';
import type { InlineContent, TemplateRef } from '../domain/message.ts';
import type { RequestContent, TextContext } from './check-request.ts';
import type { Vars } from './submission-types.ts';

/** One recipient's message before it is keyed: the channel it goes on and what it carries. */
export interface RenderedMessage {
  readonly channel: Channel;
  readonly content?: InlineContent;
  readonly template?: TemplateRef;
}

/** Missing variables named in a message: enough to act on, never the whole list of a huge text. */
const MISSING_LISTED = 10;

/**
 * The recipient's text, rendered once with their variables, within the channel's limits, then
 * judged by the content rules (content-rules.ts). Every problem rejects this recipient alone.
 * Fixed text was judged once for the request and is taken as it is.
 */
export function renderForRecipient(
  requestContent: RequestContent,
  recipientVars: Vars,
  index: number,
  meter?: RenderMeter,
): Checked<RenderedMessage> {
  switch (requestContent.kind) {
    case 'fixed':
      return accept({ channel: requestContent.channel, content: requestContent.content });
    case 'inline': {
      const content = renderParts(requestContent, recipientVars, index, meter);
      if (!content.ok) return content;
      const channel = checkContent({ ...requestContent.context, ...content.value, recipient: index });
      return channel.ok ? accept({ channel: channel.value, content: content.value }) : channel;
    }
    case 'template': {
      // The worker renders the approved template again; here it is rendered to prove every
      // variable has a value and that the text passes the rules (Kakao's 1000-character limit).
      const vars = { ...requestContent.sharedVars, ...recipientVars };
      const body = renderParts(requestContent, vars, index, meter);
      if (!body.ok) return body;
      const checked = checkContent({ ...requestContent.context, ...body.value, recipient: index });
      if (!checked.ok) return checked;
      // Only the values the template uses travel: 100 unused shared values of 4,000 characters
      // would otherwise ride along in each of the 100 messages.
      const used = Object.fromEntries(requestContent.names.list.map((name) => [name, vars[name]!]));
      return accept({ channel: 'alimtalk', template: { code: requestContent.template.code, vars: used } });
    }
  }
}

interface PartsToRender {
  readonly context: TextContext;
  readonly body: BoundedText;
  readonly subject?: BoundedText;
  readonly html?: BoundedText;
  readonly names: VariableNames;
}

function renderParts(
  text: PartsToRender,
  vars: Vars,
  index: number,
  meter: RenderMeter | undefined,
): Checked<InlineContent> {
  const missing = missingNames(text.names, vars, MISSING_LISTED);
  if (missing.count > 0) return reject(missingVariables(missing.first, missing.count, index, text.context));
  const options = { ...text.context, renderedFor: ` (rendered for recipients[${index}])` };
  const body = renderWithin(text.body, vars, meter);
  if (!body.ok) return reject(tooLong(text.context.channel, 'body', body.size, options));
  let subject: string | undefined;
  if (text.subject) {
    const rendered = renderWithin(text.subject, vars, meter);
    if (!rendered.ok) return reject(tooLong(text.context.channel, 'subject', rendered.size, options));
    subject = rendered.text;
  }
  let html: string | undefined;
  if (text.html) {
    const rendered = renderWithin(text.html, escapedVars(vars), meter);
    if (!rendered.ok) return reject(htmlTooLong(rendered.size, `content.html${options.renderedFor}`));
    html = rendered.text;
  }
  return accept({
    ...(subject !== undefined && { subject }),
    body: body.text,
    ...(html !== undefined && { html }),
  });
}

function missingVariables(
  names: readonly string[],
  count: number,
  index: number,
  context: TextContext,
): HeraldError {
  const more = count > names.length ? ` and ${count - names.length} more` : '';
  const placeholders = `${names.map((name) => `#{${name}}`).join(', ')}${more}`;
  const where = context.source === 'template' ? 'template.vars or ' : '';
  return new HeraldError(
    'HERALD_MISSING_VARIABLE',
    `recipients[${index}].vars has no value for ${placeholders} used in ${context.source}; ` +
      `give ${count === 1 ? 'it' : 'them'} in ${where}recipients[${index}].vars`,
    { field: `recipients[${index}].vars` },
  );
}
