import type { Carrier } from '../core/domain/carrier.ts';
import type { Channel } from '../core/domain/channel.ts';
import type { Lane } from '../core/domain/lane.ts';
import type { MessageStatus } from '../core/domain/message-status.ts';

/**
 * History store port: one row per accepted message with its latest state, plus one event per
 * state change. Recipients are stored masked, with a hash for lookup; never in clear.
 *
 * Deliberately left out: query builders and driver types. Writes come in batches (a worker batch,
 * an API request), because per-message round-trips would bound throughput.
 */
export interface AcceptedMessage {
  readonly messageId: string;
  readonly index: number;
  /** The message's key: its content key under content dedup, else its message key. */
  readonly key: string;
  readonly channel: Channel;
  readonly recipientMasked: string;
  readonly recipientHash: string;
}

export interface AcceptedRequest {
  readonly requestId: string;
  readonly clientId: string;
  readonly lane: Lane;
  readonly channel: Channel;
  readonly acceptedAt: number;
  readonly messages: readonly AcceptedMessage[];
  /** Recipients that were answered as duplicates of an earlier message: index -> existing message id. */
  readonly duplicates: readonly { readonly index: number; readonly messageId: string }[];
  /**
   * Recipients refused at submission (invalid address, opted out, ...), with the error the client
   * was answered. Absent in writes spooled by a release that did not record them.
   */
  readonly rejected?: readonly RejectedRecipientView[];
}

/** One of the device messages a push to a user was resolved into. */
export interface ExpandedMessage {
  readonly messageId: string;
  readonly key: string;
  /** The device token masked (`dGhpcy****`); never in clear. */
  readonly recipientMasked: string;
  readonly recipientHash: string;
}

/**
 * A push to a user (`{"userId"}` recipient) as a worker resolved it: one message per live device,
 * on the parent's request and lane. Ids and keys are derived from the parent's, so a redelivered
 * parent yields the same children and recording them again adds nothing.
 */
export interface UserPushExpansion {
  readonly parentMessageId: string;
  /**
   * The children's channel: absent or `push` for a user's device messages; `sms` or `lms` for the
   * fallback (대체발송) of an AlimTalk message Kakao could not deliver (one child, linked the same way).
   */
  readonly channel?: Channel;
  readonly requestId: string;
  readonly clientId: string;
  readonly lane: Lane;
  /**
   * The parent's acceptance time (the envelope's createdAt): the children's creation time, the same
   * on every redelivery (PostgreSQL keys and partitions messages by it).
   */
  readonly createdAt: number;
  /** When the worker resolved the user: the time of each child's `accepted` event. */
  readonly at: number;
  readonly children: readonly ExpandedMessage[];
}

export interface MessageEvent {
  readonly messageId: string;
  readonly status: MessageStatus;
  readonly at: number;
  readonly vendor?: string;
  readonly attempt?: number;
  readonly latencyMs?: number;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  /** The dedup store was unreachable and the message was sent without the check. */
  readonly dedupFailOpen?: boolean;
  /** For `duplicate` events written by the API: the request that repeated the message. */
  readonly requestId?: string;
  /**
   * The message's client, where the writer knows it (the workers do): what status callbacks are
   * routed by. Not stored: the message row has it.
   */
  readonly clientId?: string;
  /**
   * On `sent`: the vendor's id for the delivery (what its receipts and look-ups name); the message
   * row keeps it, so a receipt is matched to its message by (vendor, vendorMessageId).
   */
  readonly vendorMessageId?: string;
  /** On `delivered` / `undelivered`: the network the vendor reports (text channels), kept on the row too. */
  readonly carrier?: Carrier;
  /** On `delivered` / `undelivered`: the vendor's own result code (NHN `resultCode`, SENS `statusCode`...). */
  readonly resultCode?: string;
}

/** A message as a receipt finds it: by the vendor that accepted it and that vendor's id for it. */
export interface VendorMessageRef {
  readonly messageId: string;
  readonly clientId: string;
  readonly channel: Channel;
  readonly lane: Lane;
  readonly status: MessageStatus;
  readonly vendorMessageId: string;
}

export interface MessageView {
  readonly messageId: string;
  readonly requestId: string;
  readonly clientId: string;
  readonly channel: Channel;
  readonly lane: Lane;
  readonly recipient: string;
  readonly status: MessageStatus;
  readonly vendor: string | null;
  readonly attempts: number;
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly events: readonly MessageEvent[];
  /** A device message: the push to a user it was resolved from. Absent otherwise. */
  readonly parentMessageId?: string;
  /** A push to a user that was resolved (`expanded`): its device messages. Absent otherwise. */
  readonly devices?: readonly DeviceMessageView[];
  /** An AlimTalk message Kakao could not deliver: the SMS/LMS herald sent in its place. */
  readonly fallback?: FallbackMessageView;
  /** A fallback SMS/LMS: the AlimTalk message it stands in for. */
  readonly fallbackOf?: string;
  /** The vendor's id for the message, once sent (what its receipts and support tickets name). */
  readonly vendorMessageId?: string;
  /** The network the vendor's receipt named (text channels), once a receipt came. */
  readonly carrier?: Carrier;
}

/** The fallback SMS/LMS of an undelivered AlimTalk message, as the AlimTalk's views show it. */
export interface FallbackMessageView {
  readonly messageId: string;
  readonly channel: Channel;
  readonly status: MessageStatus;
  readonly vendor: string | null;
}

/** A device message of a push to a user, as its parent's views list it. */
export interface DeviceMessageView {
  readonly messageId: string;
  /** The device token, masked. */
  readonly recipient: string;
  readonly status: MessageStatus;
  readonly vendor: string | null;
  readonly attempts: number;
  readonly error: { readonly code: string; readonly message: string } | null;
}

export interface RequestMessageView {
  readonly index: number;
  readonly messageId: string;
  readonly status: MessageStatus;
  readonly vendor: string | null;
  readonly attempts: number;
  readonly error: { readonly code: string; readonly message: string } | null;
  /** True when this recipient was answered with the id of an earlier message (same key). */
  readonly duplicate: boolean;
  /** A push to a user that was resolved (`expanded`): one message per device. Absent otherwise. */
  readonly devices?: readonly DeviceMessageView[];
  /** An undelivered AlimTalk message: its fallback SMS/LMS. Absent otherwise. */
  readonly fallback?: FallbackMessageView;
}

/** A recipient refused at submission: no message, only the error (the 202 answer's shape). */
export interface RejectedRecipientView {
  readonly index: number;
  readonly error: { readonly code: string; readonly message: string };
}

export interface RequestView {
  readonly requestId: string;
  readonly clientId: string;
  readonly channel: Channel;
  readonly lane: Lane;
  readonly acceptedAt: number;
  /** Every recipient of the request, in index order: a message, or the error that refused it. */
  readonly messages: readonly (RequestMessageView | RejectedRecipientView)[];
}

/**
 * One record of the history log (core/history/history-log.ts): a write the API or a worker made,
 * as the history store's write methods take it. History is the fold of these changes.
 */
export type HistoryChange =
  | { readonly kind: 'accepted'; readonly request: AcceptedRequest }
  | { readonly kind: 'events'; readonly events: readonly MessageEvent[] }
  | { readonly kind: 'expanded'; readonly expansions: readonly UserPushExpansion[] };

/** A stretch of the history log, read in order from one partition (`source`: topic/partition). */
export interface HistoryLogBatch {
  readonly source: string;
  readonly changes: readonly { readonly offset: number; readonly change: HistoryChange }[];
}

export interface HistoryStore {
  /** Request row, message rows and their `accepted` events, and the refused recipients, atomically. */
  recordAccepted(request: AcceptedRequest): Promise<void>;
  /** Appends events and moves each message's latest state (terminal states stay). */
  appendEvents(events: readonly MessageEvent[]): Promise<void>;
  /**
   * Records the device messages pushes to users were resolved into (and AlimTalk fallbacks), each
   * `accepted`, linked to its parent. Idempotent: a child already recorded is left as it is (no second `accepted` event).
   * Does not need the parent's row: a worker's write may reach the store before the API's.
   */
  recordExpanded(expansions: readonly UserPushExpansion[]): Promise<void>;
  /**
   * Folds a stretch of the history log in and stores how far the log is applied, in one
   * transaction: a change at an offset the store has applied already is skipped, so a stretch
   * read again after a crash changes nothing (each event is applied once). Within the stretch,
   * requests and device messages are recorded before the events, in log order.
   */
  applyLog(batch: HistoryLogBatch): Promise<void>;
  /**
   * The messages `vendor` accepted under these ids (the `vendorMessageId` of their `sent` event):
   * vendorMessageId -> the message. Ids no message carries are absent (a receipt that arrived before
   * its `sent` was written, or one for a message this deployment never sent).
   */
  findByVendorMessageIds(
    vendor: string,
    vendorMessageIds: readonly string[],
  ): Promise<Map<string, VendorMessageRef>>;
  getRequest(clientId: string, requestId: string): Promise<RequestView | undefined>;
  getMessage(clientId: string, messageId: string): Promise<MessageView | undefined>;
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}
