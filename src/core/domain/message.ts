import type { Channel } from './channel.ts';
import type { Lane } from './lane.ts';
import type { PushDelivery, PushOptions } from './push-message.ts';
import type { PushProvider } from './push-provider.ts';
import type { VmsOptions } from './vms-options.ts';

/** Content given inline by the client, already rendered with the recipient's variables. */
export interface InlineContent {
  readonly subject?: string;
  readonly body: string;
  /**
   * E-mail only: the HTML part, its `#{var}` values HTML-escaped when rendered. Absent: the body as
   * HTML, escaped, line breaks kept (vendors/smtp/smtp-mail.ts htmlOf).
   */
  readonly html?: string;
}

/** A reference to a registered template (AlimTalk); rendered by the worker's metadata step. */
export interface TemplateRef {
  readonly code: string;
  readonly vars: Readonly<Record<string, string>>;
}

/**
 * One message for one recipient: what travels on the transport, from the API to a lane worker
 * and, on a retryable failure, through the retry topic. Serialised as JSON.
 */
export interface Envelope {
  readonly messageId: string;
  readonly requestId: string;
  readonly clientId: string;
  /**
   * Message key: hash of (client, the request's Idempotency-Key or else its id, recipient, channel,
   * content), base64url; what the worker dedups a redelivery on (see identity/message-key.ts).
   */
  readonly key: string;
  readonly channel: Channel;
  readonly lane: Lane;
  /** Phone number (normalised digits), device token or e-mail address. Never logged in clear. */
  readonly to: string;
  /**
   * Push only: the service the device token belongs to (given by the client or told by the token's
   * shape at the API). Only that provider's vendors are used. Absent on envelopes queued before it
   * existed; the worker then tells it from the token.
   */
  readonly pushProvider?: PushProvider;
  /**
   * Push to a user (`{"userId"}` recipient) instead of a token: `to` is empty and the message never
   * reaches a vendor itself. The worker's metadata step resolves the user into one message per live
   * device (device registry), each an envelope of its own with the token in `to`, no `userId`, and
   * `parentMessageId` naming this one (pipeline/expand-user-pushes.ts).
   */
  readonly userId?: string;
  /**
   * Push: the device's app (APNs topic = bundle id), from the device registry or the recipient's
   * `app`. Absent: the APNs vendor's default topic applies.
   */
  readonly pushApp?: string;
  /**
   * Push: the message a `userId` message was resolved from (its history links them). SMS/LMS: the
   * AlimTalk message this one is the fallback (대체발송) of.
   */
  readonly parentMessageId?: string;
  /** Push options of the request (push-message.ts). */
  readonly push?: PushOptions;
  /** VMS options of the request (vms-options.ts), checked at the API. */
  readonly vms?: VmsOptions;
  readonly content?: InlineContent;
  readonly template?: TemplateRef;
  /**
   * SMS/LMS/MMS: the sender number (발신번호), digits only, checked at the API against the client's
   * registered numbers. AlimTalk: the number its fallback SMS/LMS is sent from (the client's default).
   * E-mail: the registered From mailbox, `"name" <address>` or the address (core/senders/mailbox.ts).
   */
  readonly from?: string;
  /**
   * AlimTalk: the client's Kakao channel as each vendor knows it (vendor id -> NHN senderKey, SENS
   * plusFriendId, SOLAPI pfId), resolved at the API from the client's registration.
   */
  readonly kakaoSenders?: Readonly<Record<string, string>>;
  /** E-mail: the Reply-To address, checked at the API (one plain address). */
  readonly replyTo?: string;
  /** MMS: the images, stored by the API in the media store (content-addressed), in order. */
  readonly images?: readonly ImageRef[];
  /** 1 for the first try; incremented each time the message goes through the retry topic. */
  readonly attempt: number;
  /** Epoch ms; the retry worker holds the message until then. */
  readonly notBefore?: number;
  /**
   * Set on the retry record of an ad the night rule deferred: it waits in its lane's night queue
   * (released at a bounded pace from 08:00 KST, checked against the opt-out list again) rather than
   * among the lane's retries. Dropped when the message is released.
   */
  readonly deferredForNight?: boolean;
  /** Epoch ms; past it the message ends as `expired`, never sent. */
  readonly expiresAt: number;
  /**
   * Set on a record that is not a send but a look-up of the vendor's result for an AlimTalk message
   * it accepted (pipeline/delivery-checks.ts): the lane worker asks the vendor instead of sending,
   * and takes no dedup reservation for it.
   */
  readonly deliveryCheck?: DeliveryCheckState;
  readonly createdAt: number;
  /** Vendor ids that failed this message before, so a retry prefers another vendor. */
  readonly failedVendors?: readonly string[];
  /**
   * Ad lane only: the client asserted the recipient's separate consent to ads at night
   * (정보통신망법 §50③), so the worker sends it between 21:00 and 08:00 KST instead of deferring it.
   */
  readonly nightAdConsent?: boolean;
}

/** Where the delivery checks of one sent AlimTalk message stand. */
export interface DeliveryCheckState {
  /** The vendor that accepted the message, and its id for it (what its result look-up takes). */
  readonly vendor: string;
  readonly vendorMessageId: string;
  /** 1 for the first look-up; each `pending` answer schedules the next with a doubled wait. */
  readonly round: number;
  /** Epoch ms: the vendor accepted the message. */
  readonly sentAt: number;
  /** Epoch ms: no look-up is scheduled past it (docs/fallback.md). */
  readonly deadline: number;
}

/** An MMS image as an envelope carries it: a reference into the media store, never the bytes. */
export interface ImageRef {
  readonly sha256: string;
  readonly fileName: string;
  readonly bytes: number;
}

/** An MMS image as an adapter receives it: checked at the API (JPEG, <= 300 KB, <= 1000x1000). */
export interface OutboundImage {
  /** SHA-256 of the bytes, hex: the key of the vendors' file-id caches. */
  readonly sha256: string;
  /** A name ending .jpg, at most 40 characters (SENS' limit). */
  readonly fileName: string;
  readonly content: Uint8Array;
}

/** An AlimTalk button as Kakao takes it (ATDOC / SENS button types). */
export interface KakaoButton {
  /** WL web link, AL app link, DS delivery, BK bot keyword, MD message relay, AC add channel... */
  readonly type: string;
  readonly name: string;
  readonly linkMobile?: string;
  readonly linkPc?: string;
  readonly schemeIos?: string;
  readonly schemeAndroid?: string;
}

/**
 * What an AlimTalk adapter needs besides the rendered text: the client's Kakao channel and the
 * template, each as every vendor knows it (keyed by vendor id: the same channel is an NHN senderKey,
 * a SENS plusFriendId and a SOLAPI pfId; a template has its own code at each vendor). An adapter
 * reads its own id's entry; routing sends the message only to vendors that have both.
 */
export interface KakaoDelivery {
  readonly senderIds: Readonly<Record<string, string>>;
  readonly templateCodes: Readonly<Record<string, string>>;
  readonly variables: Readonly<Record<string, string>>;
  readonly buttons: readonly KakaoButton[];
  /** Emphasis-type templates: the highlighted title. */
  readonly title?: string;
}

/** What a vendor adapter receives: the envelope with its content resolved. */
export interface OutboundMessage {
  readonly messageId: string;
  /** Sent as the vendor's idempotency key where the vendor honours one. */
  readonly idempotencyKey: string;
  readonly channel: Channel;
  readonly to: string;
  readonly subject?: string;
  readonly body: string;
  readonly template?: TemplateRef;
  readonly attempt: number;
  /** Epoch ms; a vendor that can carry an expiry (APNs, FCM ttl) is given this one. */
  readonly expiresAt?: number;
  /** Channel push: the provider, title and options (absent on other channels). */
  readonly push?: PushDelivery;
  /** Channel vms: the request's voice options (absent: the vendor's defaults, a female voice). */
  readonly vms?: VmsOptions;
  /** The lane: an ad goes to the vendor's advertising endpoint or type (NHN ad-sms, SENS contentType AD). */
  readonly lane?: Lane;
  /**
   * Ad e-mail: herald's one-click unsubscribe link for this client and address (signed token,
   * identity/unsubscribe-token.ts). An e-mail adapter sends it as `List-Unsubscribe: <url>` with
   * `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058); the body already ends with it.
   */
  readonly unsubscribeUrl?: string;
  /**
   * SMS/LMS/MMS/VMS: the sender number (발신번호, the caller id of a VMS), digits only, registered for
   * the client. E-mail: the registered From mailbox, `"name" <address>` or the address (core/senders/mailbox.ts).
   */
  readonly from?: string;
  /** E-mail: the HTML part, rendered (absent: the body as escaped HTML). */
  readonly html?: string;
  /** E-mail: the Reply-To address. */
  readonly replyTo?: string;
  /** MMS: the images, in order. */
  readonly images?: readonly OutboundImage[];
  /** AlimTalk: channel, template codes, variables and buttons per vendor. */
  readonly kakao?: KakaoDelivery;
  /**
   * The vendors this message may go to at all (an AlimTalk template approved only at some of
   * them); absent: any vendor of the channel.
   */
  readonly eligibleVendors?: readonly string[];
}
