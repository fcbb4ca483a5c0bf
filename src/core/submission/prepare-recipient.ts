import type { Checked } from '../content/checked.ts';
import { accept } from '../content/checked.ts';
import { checkRecipient } from '../content/recipients.ts';
import type { RenderMeter } from '../content/render-template.ts';
import type { Channel } from '../domain/channel.ts';
import type { InlineContent, TemplateRef } from '../domain/message.ts';
import { userRecipient } from '../identity/user-recipient.ts';
import type { RequestContent } from './check-request.ts';
import { addressOf } from './recipient-forms.ts';
import { renderForRecipient } from './render-for-recipient.ts';
import type { SubmissionRequest } from './submission-types.ts';

/** One recipient turned into a message ready to be keyed, recorded and queued. */
export interface PreparedMessage {
  readonly index: number;
  /**
   * Normalised recipient; for a push to a user, `user:<id>` (identity/user-recipient.ts), what the
   * message key, the history hash and the opt-out list know the user by.
   */
  readonly to: string;
  /** Push to a user: the client's user id (the envelope's `to` stays empty until the worker resolves it). */
  readonly userId?: string;
  /** The channel it is sent on (an SMS may have become an LMS). */
  readonly channel: Channel;
  readonly content?: InlineContent;
  readonly template?: TemplateRef;
}

/**
 * Per-recipient steps, in order: the address (a push user's id was checked with the request's
 * recipient forms), the text rendered for this recipient and judged by
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
  const address = addressOf(recipient);
  const to =
    address.kind === 'user'
      ? accept(userRecipient(address.userId))
      : checkRecipient(request.channel, address.value, `recipients[${index}].${address.field}`);
  if (!to.ok) {
    return to;
  }
  const rendered = renderForRecipient(requestContent, recipient.vars ?? {}, index, meter);
  if (!rendered.ok) {
    return rendered;
  }
  const { channel, content, template } = rendered.value;
  const user = address.kind === 'user' ? { userId: address.userId } : {};
  return accept({ index, to: to.value, ...user, channel, content, template });
}
