import { createHash } from 'node:crypto';
import { HeraldError } from '../../core/domain/errors.ts';
import type { KakaoButton, OutboundMessage } from '../../core/domain/message.ts';

/**
 * NHN Cloud KakaoTalk Bizmessage AlimTalk v2.3, substitution send (ATDOC `en/alimtalk-api-guide.md`
 * "Request of Sending Replaced Messages", TOAST-DOCS/Alimtalk):
 *
 *   POST /alimtalk/v2.3/appkeys/{appkey}/messages
 *   X-Secret-Key: <secret>   X-NC-API-IDEMPOTENCY-KEY: <key> (a repeat within 10 minutes fails -1005)
 *   {senderKey (40), templateCode (<= 20), recipientList: [{recipientNo (<= 15), templateParameter
 *    {key: value} (replaces #{key}), resendParameter {isResend...}, buttons [{ordering, ...}],
 *    recipientGroupingKey (<= 100)}] (<= 1000)}
 *
 * herald sends one recipient per call on the realtime lane; the batch lane puts up to 1,000
 * messages of one sender key and template in one call's recipientList (nhnAlimtalkBulkKey), each
 * with its own templateParameter, buttons and recipientGroupingKey (herald's message id, which is
 * how each sendResults entry is matched back to its message).
 *
 * NHN renders the approved template with templateParameter itself; the buttons come from the
 * template, and a recipient's `buttons` only adds per-send extras to a template button by its
 * `ordering` (chatExtra, target, telNumber...). herald carries none of those extras, so it names
 * the template's buttons by ordering only (the vendor checks them against its template, -3011/-3033).
 */
export interface NhnAlimtalkSendBody {
  readonly senderKey: string;
  readonly templateCode: string;
  readonly recipientList: readonly NhnAlimtalkRecipient[];
}

export interface NhnAlimtalkRecipient {
  readonly recipientNo: string;
  readonly templateParameter?: Readonly<Record<string, string>>;
  /**
   * Always `{isResend: false}`: herald sends the fallback SMS/LMS itself (its weights, breakers,
   * dedup and history), so NHN's own 대체발송 must never fire, even where the console turned it on
   * for the account ("If alternative delivery is configured in the console, it is sent as
   * alternative delivery by default": leaving the field out is not enough).
   */
  readonly resendParameter: { readonly isResend: false };
  readonly buttons?: readonly { readonly ordering: number }[];
  /** herald's message id: NHN keeps it with the message (<= 100 characters), the simulator counts by it. */
  readonly recipientGroupingKey: string;
}

export const NHN_ALIMTALK_API = '/alimtalk/v2.3/appkeys';

/** The path of an NHN AlimTalk v2.3 resource under herald's appkey. */
export function nhnAlimtalkPath(appKey: string, rest: string): string {
  return `${NHN_ALIMTALK_API}/${encodeURIComponent(appKey)}${rest}`;
}

/** The headers of every call: the secret key, and the idempotency key on sends. */
export function nhnHeaders(secretKey: string, idempotencyKey?: string): Record<string, string> {
  return {
    'x-secret-key': secretKey,
    ...(idempotencyKey === undefined ? {} : { 'x-nc-api-idempotency-key': idempotencyKey }),
  };
}

/** Most recipients one substitution send takes (recipientList <= 1000; -2005 beyond). */
export const NHN_ALIMTALK_MAX_RECIPIENTS = 1_000;

/**
 * Messages with the same key can share one call: what NHN takes once per request (senderKey and
 * templateCode; herald sets no requestDate, senderGroupingKey or messageOption). Everything
 * else (number, templateParameter, buttons, recipientGroupingKey) is each recipient's own.
 */
export function nhnAlimtalkBulkKey(vendorId: string, message: OutboundMessage): string {
  return JSON.stringify([
    message.kakao?.senderIds[vendorId] ?? '',
    message.kakao?.templateCodes[vendorId] ?? '',
  ]);
}

/**
 * The substitution send of messages of one bulk key (one message on the realtime lane), with
 * this vendor's senderKey and templateCode from `message.kakao` (keyed by vendor id), one
 * recipient each. A message without them cannot go through this vendor: routing should not have
 * picked it, so the failure is permanent and not the vendor's fault.
 */
export function buildNhnAlimtalkSend(
  vendorId: string,
  messages: OutboundMessage | readonly OutboundMessage[],
): NhnAlimtalkSendBody {
  const all = Array.isArray(messages) ? messages : [messages as OutboundMessage];
  const message = all[0]!;
  const senderKey = message.kakao?.senderIds[vendorId];
  if (!senderKey) {
    throw new HeraldError(
      'HERALD_KAKAO_CHANNEL_NOT_REGISTERED',
      `No Kakao sender key is registered at vendor ${vendorId} for this message`,
    );
  }
  const templateCode = message.kakao?.templateCodes[vendorId];
  if (!templateCode) {
    throw new HeraldError(
      'HERALD_TEMPLATE_NOT_APPROVED',
      `The template has no code at vendor ${vendorId} (not registered or not approved there)`,
    );
  }
  return { senderKey, templateCode, recipientList: all.map(recipientOf) };
}

function recipientOf(message: OutboundMessage): NhnAlimtalkRecipient {
  const variables = message.kakao?.variables ?? {};
  const buttons = message.kakao?.buttons ?? [];
  return {
    recipientNo: message.to,
    ...(Object.keys(variables).length > 0 ? { templateParameter: { ...variables } } : {}),
    resendParameter: { isResend: false },
    ...(buttons.length > 0 ? { buttons: buttons.map((_, index) => ({ ordering: index + 1 })) } : {}),
    recipientGroupingKey: message.messageId,
  };
}

/**
 * The X-NC-API-IDEMPOTENCY-KEY of a send. NHN keys idempotency per request, not per recipient,
 * so one message alone keeps its own key; a bulk call takes a hash of its messages' sorted keys.
 * The same set of messages sent again (a retry after a lost answer) then carries the same key and
 * NHN refuses the repeat (-1005) rather than sending twice, while any other set (the same messages
 * regrouped, or sent one a call after the call was refused) carries another key and is not taken
 * for a repeat of a call it is not. Sorted, so the order the lane grouped them in does not matter.
 */
export function nhnIdempotencyKey(messages: readonly OutboundMessage[]): string {
  if (messages.length === 1) return messages[0]!.idempotencyKey;
  const keys = messages.map((message) => message.idempotencyKey).sort();
  return `bulk-${createHash('sha256').update(keys.join('\n')).digest('hex')}`;
}

/** A template button as NHN's template API takes and lists it. */
export interface NhnTemplateButton {
  readonly ordering: number;
  readonly type: string;
  readonly name: string;
  readonly linkMo?: string;
  readonly linkPc?: string;
  readonly schemeIos?: string;
  readonly schemeAndroid?: string;
}

/** herald's button -> NHN's (ordering from 1, linkMobile -> linkMo); absent links stay absent. */
export function toNhnButton(button: KakaoButton, index: number): NhnTemplateButton {
  return {
    ordering: index + 1,
    type: button.type,
    name: button.name,
    ...(button.linkMobile ? { linkMo: button.linkMobile } : {}),
    ...(button.linkPc ? { linkPc: button.linkPc } : {}),
    ...(button.schemeIos ? { schemeIos: button.schemeIos } : {}),
    ...(button.schemeAndroid ? { schemeAndroid: button.schemeAndroid } : {}),
  };
}
