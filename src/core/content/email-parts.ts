import type { Envelope, OutboundMessage } from '../domain/message.ts';

/**
 * What an e-mail carries besides subject and body, from its envelope to the adapter: the HTML part
 * (rendered at the API) and the Reply-To address (checked at the API). Empty for other channels.
 */
export function emailParts(envelope: Envelope): Pick<OutboundMessage, 'html' | 'replyTo'> {
  if (envelope.channel !== 'email') return {};
  const html = envelope.content?.html;
  return {
    ...(html !== undefined && { html }),
    ...(envelope.replyTo !== undefined && { replyTo: envelope.replyTo }),
  };
}
