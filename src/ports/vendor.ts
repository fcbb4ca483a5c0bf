import type { Carrier } from '../core/domain/carrier.ts';
import type { Channel } from '../core/domain/channel.ts';
import type { HeraldError } from '../core/domain/errors.ts';
import type { Lane } from '../core/domain/lane.ts';
import type { KakaoButton, OutboundMessage } from '../core/domain/message.ts';
import type { PushProvider } from '../core/domain/push-provider.ts';

/**
 * Vendor port: one delivery provider (an SMS company, FCM, an SMTP relay...).
 *
 * `send` must honour `signal` (the pipeline's hard time limit and shutdown) and fail with a
 * HeraldError whose code, `retryable`, `retryAfterMs` and `vendorFault` come from the vendor's own
 * response, mapped in the adapter. Deliberately left out: retries, time limits and breakers: those
 * are policies the pipeline composes around every vendor alike. Bulk calls (`bulk`) are the
 * adapter's because only it knows what its wire lets share one call.
 */
/**
 * What stands behind a vendor id, for /health: a simulator running inside this process, a
 * simulator process of its own (`herald sim`), or the real provider. An operator must be able to
 * see at a glance that production is not sending into a simulator.
 */
export const VENDOR_KINDS = ['in-process-simulator', 'external-simulator', 'real'] as const;
export type VendorKind = (typeof VENDOR_KINDS)[number];

export interface SendReceipt {
  /** The vendor's id for the delivery (for support tickets and result lookups). */
  readonly vendorMessageId: string;
}

/**
 * What a vendor's result look-up says of a message it accepted (NHN result APIs, SENS message
 * look-up, SOLAPI message list): still on its way, delivered, or not delivered with the vendor's
 * code. `fallback`: the recipient could still be reached another way (Kakao 3018/3019/3020...: not
 * a KakaoTalk user, blocked, inactive), so herald sends the template's fallback SMS/LMS.
 */
export type DeliveryCheck =
  | { readonly state: 'pending' }
  | { readonly state: 'delivered'; readonly at: number; readonly code: string; readonly carrier?: Carrier }
  | {
      readonly state: 'undelivered';
      readonly at: number;
      readonly code: string;
      readonly message: string;
      readonly fallback: boolean;
      readonly carrier?: Carrier;
    };

/** One message a receipt look-up asks about: the vendor's id and when herald saw it accepted. */
export interface ReceiptQuery {
  readonly vendorMessageId: string;
  /**
   * Epoch ms by herald's clock, just after the vendor answered the send: a look-up that searches
   * by date (NHN's list by registration date) builds its window from these.
   */
  readonly sentAt: number;
  /**
   * The lane that sent it (OutboundMessage.lane): a vendor that tags sends by lane (NHN's
   * senderGroupingKey) searches only that lane's messages.
   */
  readonly lane?: Lane;
}

/**
 * Runs one HTTP request of a look-up the way the caller wants every vendor call run: herald's lane
 * waits for the vendor's pacer (one token a request, `callsPerSecond`), then runs it in the send
 * pool with a signal that aborts at the vendor's time limit (per request, not per look-up) or at
 * shutdown. A look-up that makes several requests makes each through it.
 */
export type VendorCall = <T>(request: (signal: AbortSignal) => Promise<T>) => Promise<T>;

/**
 * The result look-up of a text vendor, by many messages at once, as its receipts poller uses it:
 * NHN's result list, SENS' message look-up, SOLAPI's message list. What its answer leaves out is
 * still pending. The limits are the vendor's documented ones (requests a second, ids a look-up) and
 * how long it keeps trying to deliver (NHN: SMS 25 h, LMS/MMS 80 h), after which herald stops
 * asking and records the message `undelivered` (receipt timed out). A failed request fails the
 * whole look-up (thrown): the poller asks again later for all of its messages.
 */
export interface ReceiptLookup {
  readonly maxIdsPerCall: number;
  /** HTTP requests a second, each made through the VendorCall. */
  readonly callsPerSecond: number;
  deliveryTimeoutMs(channel: Channel): number;
  lookUp(queries: readonly ReceiptQuery[], call: VendorCall): Promise<Map<string, DeliveryCheck>>;
}

/** An AlimTalk template's review state at one vendor, in herald's words. */
export type VendorTemplateState = 'requested' | 'approved' | 'rejected';

/** An AlimTalk template as one vendor's template list reports it. */
export interface VendorTemplate {
  /** Its code at this vendor. */
  readonly code: string;
  readonly name: string;
  readonly body: string;
  readonly buttons: readonly KakaoButton[];
  readonly state: VendorTemplateState;
  readonly rejectedReason?: string;
}

/** A template herald asks a vendor to register (and Kakao to review) for a client's channel. */
export interface TemplateSubmission {
  readonly code: string;
  readonly name: string;
  readonly body: string;
  readonly buttons: readonly KakaoButton[];
  /** The client's channel at this vendor (NHN senderKey, SENS plusFriendId, SOLAPI pfId). */
  readonly senderId: string;
}

/** The template side of an AlimTalk vendor: what `herald templates sync` reads and submits. */
export interface VendorTemplateApi {
  list(senderId: string, signal: AbortSignal): Promise<VendorTemplate[]>;
  submit(template: TemplateSubmission, signal: AbortSignal): Promise<void>;
}

/** One message's result in a bulk call: its receipt, or the vendor's refusal of that message alone. */
export type BulkSendResult = SendReceipt | HeraldError;

/**
 * The bulk side of a vendor whose wire carries many messages in one call (NHN SMS recipientList
 * up to 1,000, SENS messages up to 100, SOLAPI send-many). The batch and ad lanes group messages
 * by `groupKey` and send each group, up to `maxMessages`, in one call.
 */
export interface BulkSender {
  readonly maxMessages: number;
  /**
   * Messages with the same key can share one call (the same sender, type and content where the
   * wire takes one content for all its recipients).
   */
  groupKey(message: OutboundMessage): string;
  /**
   * One call for all of them: one result per message, in order. Throws (as send does) when the
   * vendor refused or failed the call as a whole: then none of them was taken.
   */
  sendMany(messages: readonly OutboundMessage[], signal: AbortSignal): Promise<BulkSendResult[]>;
}

export interface Vendor {
  readonly id: string;
  readonly channels: readonly Channel[];
  /**
   * For a push vendor: the push service it delivers to. It is only ever given tokens of that
   * provider; a push vendor without one is never picked. A property of the adapter (an FCM adapter
   * speaks FCM), not a setting an operator could get wrong.
   */
  readonly pushProvider?: PushProvider;
  send(message: OutboundMessage, signal: AbortSignal): Promise<SendReceipt>;
  /**
   * The vendor's result look-up for a message it accepted, by the receipt's vendorMessageId (which
   * the adapter makes carry whatever its look-up needs). AlimTalk vendors have it: herald learns
   * from it whether Kakao delivered, and sends the fallback when not.
   */
  checkDelivery?(vendorMessageId: string, signal: AbortSignal): Promise<DeliveryCheck>;
  /** Text vendors with a result look-up for many messages a call: what the receipts poller asks. */
  readonly receipts?: ReceiptLookup;
  /** AlimTalk vendors: their template list and registration API. */
  readonly templates?: VendorTemplateApi;
  /**
   * MMS vendors stricter than herald's own image rules (SOLAPI: one image of at most 200 KB): the
   * router sends an MMS only to vendors whose limits its images fit. Absent: herald's rules suffice.
   */
  readonly mmsLimits?: { readonly maxImages: number; readonly maxImageBytes: number };
  /** Vendors whose wire takes many messages a call: what the batch and ad lanes send through. */
  readonly bulk?: BulkSender;
  close(): Promise<void>;
}

/**
 * The vendors one deployment has adapters for: vendor id -> the channels it serves. The remote
 * config may route a channel only to a vendor listed here for that channel.
 */
export type VendorCatalogue = ReadonlyMap<string, readonly Channel[]>;

/**
 * The vendors one lane sends through, by id, as they are at this moment: a vendor whose definition
 * changes in the remote config is rebuilt and the lookup answers the new adapter from then on.
 */
export interface VendorLookup {
  get(vendorId: string): Vendor | undefined;
}
