import type { DeliveryReceipt } from '../../core/domain/delivery-receipt.ts';

/**
 * An SES notification (the Message of an SNS notification) as a DeliveryReceipt. SES sends three
 * kinds, through a topic of the identity's feedback notifications (`notificationType`) or of a
 * configuration set's event destination (`eventType`), with the same body otherwise:
 *   { notificationType | eventType: 'Bounce' | 'Complaint' | 'Delivery',
 *     mail: { messageId, timestamp, ... },
 *     bounce?: { bounceType: 'Permanent' | 'Transient' | 'Undetermined', bounceSubType,
 *                bouncedRecipients: [{ emailAddress, status?, diagnosticCode? }], timestamp },
 *     delivery?: { timestamp, smtpResponse, ... },
 *     complaint?: { complaintFeedbackType?, timestamp, ... } }
 * `mail.messageId` is SES' id, the vendor message id herald stored at `sent`.
 *
 * - Delivery: `delivered`, code `Delivery`.
 * - Bounce: `undelivered`, code `Bounce/<bounceType>/<bounceSubType>` (a transient bounce here is
 *   one SES gave up retrying), the message naming the type and the enhanced status, never the
 *   diagnostic text (it often repeats the address).
 * - Complaint: the mail reached the mailbox and its owner marked it as spam: `delivered` (the
 *   receipt of a delivery SES reported no other way), code `Complaint/<feedback type>`.
 * Other kinds (Send, Reject, Open, Click...) and malformed bodies: undefined (counted, not receipts).
 * The carrier is `unknown`: e-mail has none.
 */
export function receiptOfSesNotification(
  notification: unknown,
  vendor: string,
  receivedAt: number,
): DeliveryReceipt | undefined {
  if (typeof notification !== 'object' || notification === null) return undefined;
  const body = notification as Record<string, unknown>;
  const kind = body.notificationType ?? body.eventType;
  const mail = body.mail as { messageId?: unknown; timestamp?: unknown } | undefined;
  if (typeof mail?.messageId !== 'string' || mail.messageId === '') return undefined;
  const base = {
    vendor,
    vendorMessageId: mail.messageId,
    carrier: 'unknown' as const,
    source: 'webhook' as const,
    receivedAt,
  };
  const at = (event: { timestamp?: unknown } | undefined) =>
    timeOf(event?.timestamp) ?? timeOf(mail.timestamp) ?? receivedAt;
  switch (kind) {
    case 'Delivery': {
      const delivery = body.delivery as { timestamp?: unknown } | undefined;
      return {
        ...base,
        state: 'delivered',
        at: at(delivery),
        code: 'Delivery',
        message: 'delivered to the mailbox server',
      };
    }
    case 'Bounce': {
      const bounce = body.bounce as
        | { bounceType?: unknown; bounceSubType?: unknown; timestamp?: unknown; bouncedRecipients?: unknown }
        | undefined;
      const type = word(bounce?.bounceType) ?? 'Undetermined';
      const subType = word(bounce?.bounceSubType) ?? 'Undetermined';
      const recipients = Array.isArray(bounce?.bouncedRecipients) ? bounce.bouncedRecipients : [];
      const status = (recipients[0] as { status?: unknown } | undefined)?.status;
      const enhanced =
        typeof status === 'string' && /^[245]\.\d{1,3}\.\d{1,3}$/.test(status) ? ` ${status}` : '';
      return {
        ...base,
        state: 'undelivered',
        at: at(bounce),
        code: `Bounce/${type}/${subType}`,
        message: `${type.toLowerCase()} bounce (${subType})${enhanced}`,
      };
    }
    case 'Complaint': {
      const complaint = body.complaint as
        | { complaintFeedbackType?: unknown; timestamp?: unknown }
        | undefined;
      const feedback = word(complaint?.complaintFeedbackType) ?? 'unspecified';
      return {
        ...base,
        state: 'delivered',
        at: at(complaint),
        code: `Complaint/${feedback}`,
        message: `delivered; the recipient marked it as spam (${feedback})`,
      };
    }
    default:
      return undefined;
  }
}

/** A bounded, printable word of SES' vocabulary (bounce types, feedback types), else undefined. */
function word(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z-]{1,40}$/.test(value) ? value : undefined;
}

function timeOf(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
