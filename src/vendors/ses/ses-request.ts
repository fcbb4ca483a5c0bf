import type { SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import { HeraldError } from '../../core/domain/errors.ts';
import type { OutboundMessage } from '../../core/domain/message.ts';
import { formatMailbox, parseMailbox } from '../../core/senders/mailbox.ts';
import { listUnsubscribeHeaders } from '../list-unsubscribe.ts';
import { htmlPartOf } from '../smtp/smtp-mail.ts';

/** The EmailTags entry herald's message id travels in (the simulator counts by it). */
export const HERALD_MESSAGE_ID_TAG = 'herald-message-id';

/** What every message of one ses vendor shares. */
export interface SesRequestDefaults {
  /** FromEmailAddress of a message that names none: an address, or `Name <address>`. */
  readonly from: string;
  readonly configurationSet?: string;
}

/** One addr-spec without display name, comments, lists or whitespace (RFC 5321 Mailbox, roughly). */
const SINGLE_ADDRESS = /^[^\s@<>(),;:"\\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;
const NAME_AND_ADDRESS = /^(.*?)\s*<([^<>\s]+@[^<>\s]+)>$/;

/**
 * One OutboundMessage as SES v2 `SendEmail` (Amazon SES API v2 Reference, SendEmail):
 *   { FromEmailAddress, Destination: { ToAddresses: [to] },
 *     Content: { Simple: { Subject: { Data, Charset }, Body: { Text: {...}, Html: {...} } } },
 *     EmailTags: [{ Name: 'herald-message-id', Value: messageId }], ConfigurationSetName? }
 * with `Content.Simple.Headers` List-Unsubscribe and List-Unsubscribe-Post on an ad.
 * SES builds the MIME message itself from these fields (JSON strings: no header can be injected
 * through them), so herald sends the text and the HTML part as the smtp vendor does (smtp-mail.ts htmlPartOf), and
 * ReplyToAddresses when the request gave a Reply-To.
 * The message id goes as an EmailTags entry: SES keeps it on the message's sending events, so a
 * bounce or complaint can be tied back to its history row, and the simulator counts by it. A
 * display name outside ASCII is sent as an RFC 2047 encoded-word, which SES requires there.
 */
export function sesRequestOf(message: OutboundMessage, defaults: SesRequestDefaults): SendEmailCommandInput {
  if (!SINGLE_ADDRESS.test(message.to)) {
    throw new HeraldError('HERALD_RECIPIENT_INVALID', 'The recipient is not one plain e-mail address', {
      vendorCode: 'ADDRESS',
    });
  }
  return {
    FromEmailAddress: fromAddressOf(
      message.from === undefined ? defaults.from : registeredFrom(message.from),
    ),
    Destination: { ToAddresses: [message.to] },
    ...(message.replyTo !== undefined && { ReplyToAddresses: [singleAddress(message.replyTo)] }),
    Content: {
      Simple: {
        Subject: { Data: message.subject ?? '', Charset: 'UTF-8' },
        Body: {
          Text: { Data: message.body, Charset: 'UTF-8' },
          Html: { Data: htmlPartOf(message), Charset: 'UTF-8' },
        },
        // An ad's opt-out (RFC 8058): SES v2 takes extra headers on a simple message.
        ...(message.unsubscribeUrl !== undefined && {
          Headers: listUnsubscribeHeaders(message.unsubscribeUrl).map(({ name, value }) => ({
            Name: name,
            Value: value,
          })),
        }),
      },
    },
    EmailTags: [{ Name: HERALD_MESSAGE_ID_TAG, Value: message.messageId }],
    ...(defaults.configurationSet ? { ConfigurationSetName: defaults.configurationSet } : {}),
  };
}

/**
 * The client's registered From (core/senders/mailbox.ts) as SES takes it: the bare address, or the
 * display name as an RFC 2047 encoded-word when it is not plain ASCII (SES requires that), else
 * as the quoted string mailbox.ts wrote.
 */
function registeredFrom(from: string): string {
  const mailbox = parseMailbox(from);
  if (mailbox === undefined || !SINGLE_ADDRESS.test(mailbox.address)) {
    throw new HeraldError('HERALD_VALIDATION_FAILED', 'The From of the message is not a registered mailbox', {
      vendorCode: 'FROM',
    });
  }
  if (mailbox.name === undefined || /^[\x20-\x7e]*$/.test(mailbox.name)) return formatMailbox(mailbox);
  return `=?UTF-8?B?${Buffer.from(mailbox.name, 'utf8').toString('base64')}?= <${mailbox.address}>`;
}

function singleAddress(address: string): string {
  if (SINGLE_ADDRESS.test(address)) return address;
  throw new HeraldError('HERALD_VALIDATION_FAILED', 'The Reply-To is not one plain e-mail address', {
    vendorCode: 'REPLY_TO',
  });
}

/** `Name <address>` with a non-ASCII name as `=?UTF-8?B?...?= <address>`; control characters refused. */
export function fromAddressOf(from: string): string {
  if ([...from].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)) {
    throw new HeraldError('HERALD_VENDOR_REJECTED', 'The From address has a control character', {
      vendorCode: 'FROM',
    });
  }
  const named = from.match(NAME_AND_ADDRESS);
  if (!named || /^[\x20-\x7e]*$/.test(named[1]!)) return from;
  return `=?UTF-8?B?${Buffer.from(named[1]!, 'utf8').toString('base64')}?= <${named[2]}>`;
}
