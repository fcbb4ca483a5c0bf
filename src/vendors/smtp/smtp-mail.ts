import type { SendMailOptions } from 'nodemailer';
import { escapeHtml } from '../../core/content/email-html.ts';
import { HeraldError } from '../../core/domain/errors.ts';
import type { OutboundMessage } from '../../core/domain/message.ts';
import { unsubscribeFooter } from '../../core/pipeline/unsubscribe-footer.ts';
import { parseMailbox } from '../../core/senders/mailbox.ts';
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
 * - `From`: the message's own mailbox when it has one (the client's registered sender, handed to
 *   nodemailer as `{name, address}` so it encodes the name itself), else the vendor's;
 * - `Reply-To` when the request gave one (checked at the API: one plain address);
 * - `Subject`, and a multipart/alternative body: the text as text/plain, and as text/html the
 *   request's HTML part (its `#{var}` values escaped at the API) or else the same text
 *   HTML-escaped (so a `#{var}` value can never become markup) with its line breaks kept.
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
    from: fromOf(message.from) ?? defaults.from,
    to: message.to,
    ...(message.replyTo !== undefined && { replyTo: singleAddress(message.replyTo) }),
    subject: message.subject ?? '',
    text: message.body,
    html: htmlPartOf(message),
    ...(message.unsubscribeUrl !== undefined && listUnsubscribe(message.unsubscribeUrl)),
  };
}

/** The registered From as nodemailer's address object (a bare address stays a string). */
function fromOf(from: string | undefined): SendMailOptions['from'] {
  if (from === undefined) return undefined;
  const mailbox = parseMailbox(from);
  if (mailbox === undefined || !SINGLE_ADDRESS.test(mailbox.address)) {
    throw new HeraldError('HERALD_VALIDATION_FAILED', 'The From of the message is not a registered mailbox', {
      vendorCode: 'FROM',
    });
  }
  return mailbox.name === undefined ? mailbox.address : { name: mailbox.name, address: mailbox.address };
}

/** An address nodemailer must take as one address, never as a list. */
function singleAddress(address: string): string {
  if (SINGLE_ADDRESS.test(address)) return address;
  throw new HeraldError('HERALD_VALIDATION_FAILED', 'The Reply-To is not one plain e-mail address', {
    vendorCode: 'REPLY_TO',
  });
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

/**
 * The text/html part: the request's HTML part (values escaped at the API), with an ad's opt-out
 * notice and link added before its end (the worker puts them in the text part only: the notice
 * must be in the HTML a mailbox shows too); without one, the text as HTML.
 */
export function htmlPartOf(message: Pick<OutboundMessage, 'body' | 'html' | 'unsubscribeUrl'>): string {
  if (message.html === undefined) return htmlOf(message.body);
  if (message.unsubscribeUrl === undefined) return message.html;
  const footer = `\n<p>${textAsHtml(unsubscribeFooter(message.unsubscribeUrl).trim())}</p>\n`;
  const end = message.html.search(/<\/body\s*>/i);
  return end < 0 ? message.html + footer : message.html.slice(0, end) + footer + message.html.slice(end);
}

/** The text as a minimal HTML document: escaped, each line break a `<br>`. */
export function htmlOf(text: string): string {
  return `<!doctype html>\n<html><body>${textAsHtml(text)}</body></html>`;
}

function textAsHtml(text: string): string {
  return escapeHtml(text)
    .split(/\r\n|\r|\n/)
    .join('<br>\n');
}
