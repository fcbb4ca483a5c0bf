import type { Carrier } from '../core/domain/carrier.ts';
import type { Channel } from '../core/domain/channel.ts';
import type { Lane } from '../core/domain/lane.ts';
import type { MessageStatus } from '../core/domain/message-status.ts';
import type {
  DeviceMessageView,
  FallbackMessageView,
  MessageEvent,
  MessageView,
  RejectedRecipientView,
  RequestMessageView,
  VendorMessageRef,
} from '../ports/history-store.ts';

/**
 * The history tables' rows as every SQL adapter reads them, once its driver's types are
 * normalised (timestamps as epoch ms, flags as booleans), and their mapping to the port's views.
 * One mapping for SQLite and PostgreSQL, so both adapters answer with the same shapes.
 * `parent_message_id` links a device message to the push to a user it was resolved from, and a
 * fallback SMS/LMS to the AlimTalk message it stands in for: a child's channel tells which (push:
 * a device, listed under `devices`; anything else: the `fallback`, and the child's `fallbackOf`).
 */
export interface MessageRow {
  message_id: string;
  request_id: string;
  client_id: string;
  channel: string;
  lane: string;
  recipient_masked: string;
  status: string;
  vendor: string | null;
  attempts: number;
  error_code: string | null;
  error_message: string | null;
  created_at: number;
  updated_at: number;
  parent_message_id: string | null;
}

/** A device message of a push to a user, with its parent's id (the views list it under the parent). */
export interface DeviceMessageRow {
  parent_message_id: string;
  message_id: string;
  channel: string;
  recipient_masked: string;
  status: string;
  vendor: string | null;
  attempts: number;
  error_code: string | null;
  error_message: string | null;
}

/**
 * A recipient of a request: a message (joined with its latest state), or a recipient refused at
 * submission, which has no message (message_id and status null) and only its error.
 */
export interface RequestMessageRow {
  message_index: number;
  message_id: string | null;
  duplicate: boolean;
  status: string | null;
  vendor: string | null;
  attempts: number;
  error_code: string | null;
  error_message: string | null;
}

export interface EventRow {
  message_id: string;
  status: string;
  at: number;
  vendor: string | null;
  attempt: number | null;
  latency_ms: number | null;
  error_code: string | null;
  error_message: string | null;
  dedup_fail_open: boolean | null;
  request_id: string | null;
  vendor_message_id: string | null;
  carrier: string | null;
  result_code: string | null;
}

/** Back to the event as written: fields that were absent stay absent. */
export function toMessageEvent(row: EventRow): MessageEvent {
  return {
    messageId: row.message_id,
    status: row.status as MessageStatus,
    at: row.at,
    ...(row.vendor !== null && { vendor: row.vendor }),
    ...(row.attempt !== null && { attempt: row.attempt }),
    ...(row.latency_ms !== null && { latencyMs: row.latency_ms }),
    ...(row.error_code !== null && { errorCode: row.error_code }),
    ...(row.error_message !== null && { errorMessage: row.error_message }),
    ...(row.dedup_fail_open !== null && { dedupFailOpen: row.dedup_fail_open }),
    ...(row.request_id !== null && { requestId: row.request_id }),
    ...(row.vendor_message_id !== null && { vendorMessageId: row.vendor_message_id }),
    ...(row.carrier !== null && { carrier: row.carrier as Carrier }),
    ...(row.result_code !== null && { resultCode: row.result_code }),
  };
}

export function toMessageView(
  row: MessageRow,
  events: readonly MessageEvent[],
  children: readonly DeviceMessageRow[] = [],
): MessageView {
  const devices = children.filter(isDevice);
  const fallback = children.find((child) => !isDevice(child));
  const link = row.parent_message_id;
  const isFallback = link !== null && row.channel !== 'push';
  return {
    messageId: row.message_id,
    requestId: row.request_id,
    clientId: row.client_id,
    channel: row.channel as Channel,
    lane: row.lane as Lane,
    recipient: row.recipient_masked,
    status: row.status as MessageStatus,
    vendor: row.vendor,
    attempts: row.attempts,
    error: toError(row.error_code, row.error_message),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    events,
    ...deliveryFields(events),
    ...(link !== null && !isFallback && { parentMessageId: link }),
    ...(isFallback && { fallbackOf: link }),
    ...(devices.length > 0 && { devices: devices.map(toDeviceMessageView) }),
    ...(fallback && { fallback: toFallbackView(fallback) }),
  };
}

function isDevice(row: DeviceMessageRow): boolean {
  return row.channel === 'push';
}

function toFallbackView(row: DeviceMessageRow): FallbackMessageView {
  return {
    messageId: row.message_id,
    channel: row.channel as Channel,
    status: row.status as MessageStatus,
    vendor: row.vendor,
  };
}

/**
 * Each request entry whose message was resolved into device messages gets them as `devices`; an
 * AlimTalk entry with a fallback SMS/LMS gets it as `fallback`.
 */
export function withDevices(
  entries: readonly (RequestMessageView | RejectedRecipientView)[],
  children: readonly DeviceMessageRow[],
): (RequestMessageView | RejectedRecipientView)[] {
  if (children.length === 0) return [...entries];
  const fallbacks = new Map<string, FallbackMessageView>();
  for (const row of children) {
    if (!isDevice(row)) fallbacks.set(row.parent_message_id, toFallbackView(row));
  }
  const byParent = new Map<string, DeviceMessageView[]>();
  for (const row of children.filter(isDevice)) {
    const list = byParent.get(row.parent_message_id) ?? [];
    // A parent listed twice in one request (a repeated recipient) is read twice: keep one of each.
    if (!list.some((device) => device.messageId === row.message_id)) list.push(toDeviceMessageView(row));
    byParent.set(row.parent_message_id, list);
  }
  return entries.map((entry) => {
    if (!('messageId' in entry)) return entry;
    const found = byParent.get(entry.messageId);
    const fallback = fallbacks.get(entry.messageId);
    return { ...entry, ...(found && { devices: found }), ...(fallback && { fallback }) };
  });
}

function toDeviceMessageView(row: DeviceMessageRow): DeviceMessageView {
  return {
    messageId: row.message_id,
    recipient: row.recipient_masked,
    status: row.status as MessageStatus,
    vendor: row.vendor,
    attempts: row.attempts,
    error: toError(row.error_code, row.error_message),
  };
}

export function toRequestMessageView(row: RequestMessageRow): RequestMessageView | RejectedRecipientView {
  if (row.message_id === null) {
    return {
      index: row.message_index,
      error: { code: row.error_code ?? '', message: row.error_message ?? '' },
    };
  }
  return {
    index: row.message_index,
    messageId: row.message_id,
    status: row.status as MessageStatus,
    vendor: row.vendor,
    attempts: row.attempts,
    error: toError(row.error_code, row.error_message),
    duplicate: row.duplicate,
  };
}

function toError(code: string | null, message: string | null): MessageView['error'] {
  return code === null ? null : { code, message: message ?? '' };
}

/** A message as `findByVendorMessageIds` reads it. */
export interface VendorMessageRow {
  message_id: string;
  client_id: string;
  channel: string;
  lane: string;
  status: string;
  vendor_message_id: string;
}

export function toVendorMessageRef(row: VendorMessageRow): VendorMessageRef {
  return {
    messageId: row.message_id,
    clientId: row.client_id,
    channel: row.channel as Channel,
    lane: row.lane as Lane,
    status: row.status as MessageStatus,
    vendorMessageId: row.vendor_message_id,
  };
}

/**
 * The vendor's id for the message and the carrier, as its events last reported them (the `sent` and
 * the delivery receipt): read from the events, so the views need no column of their own.
 */
function deliveryFields(events: readonly MessageEvent[]): Pick<MessageView, 'vendorMessageId' | 'carrier'> {
  const vendorMessageId = events.findLast((event) => event.vendorMessageId !== undefined)?.vendorMessageId;
  const carrier = events.findLast((event) => event.carrier !== undefined)?.carrier;
  return {
    ...(vendorMessageId !== undefined && { vendorMessageId }),
    ...(carrier !== undefined && { carrier }),
  };
}
