import type { OutboundMessage } from '../domain/message.ts';

/**
 * The opt-out notice an ad e-mail ends with (정보통신망법 §50④ wants the opt-out method in the
 * text; KISA's guide asks for it in Korean and English), pointing at the same one-click link as the
 * `List-Unsubscribe` header. herald writes it, so every ad e-mail has a working opt-out whatever
 * the client's text says.
 */
export function unsubscribeFooter(url: string): string {
  return (
    `\n\n수신을 원하지 않으시면 아래 링크에서 무료로 수신거부하실 수 있습니다.\n` +
    `To stop receiving these e-mails, unsubscribe here (free of charge):\n${url}`
  );
}

/** The message with its unsubscribe link as a field (for the headers) and at the end of the body. */
export function withUnsubscribeLink(message: OutboundMessage, url: string): OutboundMessage {
  return { ...message, body: message.body + unsubscribeFooter(url), unsubscribeUrl: url };
}
