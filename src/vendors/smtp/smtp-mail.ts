import type { SendMailOptions } from 'nodemailer';
import { HeraldError } from '../../core/domain/errors.ts';
import type { OutboundMessage } from '../../core/domain/message.ts';
import { listUnsubscribeHeaders, ONE_CLICK } from '../list-unsubscribe.ts';

/** Right-hand side of a Message-ID when the vendor names no domain of its own. */
export const DEFAULT_MESSAGE_ID_DOMAIN = 'herald.local';

/** What every message of one smtp vendor shares. */
export interface SmtpMailDefaults {
  /** From of a message that names none: an address, or `Name <address>`. */
  readonly from: string;
  readonly messageIdDomain: string;
}

/**
 * One OutboundMessage as the mail nodemailer composes (RFC 5322 with MIME):
 * - `Message-ID: <messageId@domain>`: herald's message id, so a message read back at the relay or a
 *   bounce is tied to its history row, and a resend of the same message carries the same id;
 * - `From`: the message's own address when it has one (an e-mail `from`), else the vendor's;
 * - `Subject`, and a multipart/alternative body: the text as text/plain, and the same text as
 *   text/html, HTML-escaped (so a `#{var}` value can never become markup) with its line breaks kept.
 * - an ad (an `unsubscribeUrl`): `List-Unsubscribe: <url>` and `List-Unsubscribe-Post:
 *   List-Unsubscribe=One-Click` (RFC 8058), so a mailbox offers its own unsubscribe button, which
 *   POSTs to herald's endpoint.
 * Header values are passed as data: nodemailer folds and RFC 2047-encodes them, and a CR or LF in a
 * value never starts a header of its own (test/vendors/smtp/smtp-header-injection.test.ts).
 */
export function smtpMailOf(message: OutboundMessage, defaults: SmtpMailDefaults): SendMailOptions {
  // nodemailer reads an address field as a list ("a@x, b@y", or "a@x\r\nBcc: b@y" as two), so the
  // recipient is checked to be one bare address: one message, one mailbox, whatever the API let in.
  if (!SINGLE_ADDRESS.test(message.to)) {
    throw new HeraldError('HERALD_RECIPIENT_INVALID', 'The recipient is not one plain e-mail address', {
      vendorCode: 'ADDRESS',
    });
  }
  return {
    messageId: messageIdOf(message.messageId, defaults.messageIdDomain),
    from: message.from?.includes('@') ? message.from : defaults.from,
    to: message.to,
    subject: message.subject ?? '',
    text: message.body,
    html: htmlOf(message.body),
    ...(message.unsubscribeUrl !== undefined && listUnsubscribe(message.unsubscribeUrl)),
  };
}

/** nodemailer's `list.unsubscribe` writes List-Unsubscribe; the one-click header goes beside it. */
function listUnsubscribe(url: string): Pick<SendMailOptions, 'list' | 'headers'> {
  listUnsubscribeHeaders(url);
  return { list: { unsubscribe: url }, headers: { [ONE_CLICK.name]: ONE_CLICK.value } };
}

/** One addr-spec without display name, comments, lists or whitespace (RFC 5321 Mailbox, roughly). */
const SINGLE_ADDRESS = /^[^\s@<>(),;:"\\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;

/** `<messageId@domain>`; the simulator reads herald's message id back from it. */
export function messageIdOf(messageId: string, domain: string): string {
  return `<${messageId}@${domain}>`;
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** The text as a minimal HTML document: escaped, each line break a `<br>`. */
export function htmlOf(text: string): string {
  const escaped = text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
  const lines = escaped.split(/\r\n|\r|\n/).join('<br>\n');
  return `<!doctype html>\n<html><body>${lines}</body></html>`;
}
