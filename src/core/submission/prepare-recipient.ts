import type { Checked } from '../content/checked.ts';
import { accept } from '../content/checked.ts';
import { checkRecipient } from '../content/recipients.ts';
import type { RenderMeter } from '../content/render-template.ts';
import type { Channel } from '../domain/channel.ts';
import type { InlineContent, TemplateRef } from '../domain/message.ts';
import type { RequestContent } from './check-request.ts';
import { renderForRecipient } from './render-for-recipient.ts';
import type { SubmissionRequest } from './submission-types.ts';

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
 * Per-recipient steps, in order: the address, the text rendered for this recipient and judged by
 * the content rules (render-for-recipient.ts; one recipient's long name can turn only their SMS
 * into an LMS), then the message key. A failure rejects this recipient alone.
 */
export function prepareRecipient(
  request: SubmissionRequest,
  requestContent: RequestContent,
  index: number,
  meter?: RenderMeter,
): Checked<PreparedMessage> {
  const recipient = request.recipients[index]!;
  const to = checkRecipient(request.channel, recipient.to, `recipients[${index}].to`);
  if (!to.ok) {
    return to;
  }
  const rendered = renderForRecipient(requestContent, recipient.vars ?? {}, index, meter);
  if (!rendered.ok) {
    return rendered;
  }
  const { channel, content, template } = rendered.value;
  return accept({ index, to: to.value, channel, content, template });
}
