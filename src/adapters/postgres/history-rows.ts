import type { Channel } from '../../core/domain/channel.ts';
import type { Lane } from '../../core/domain/lane.ts';
import type { MessageStatus } from '../../core/domain/message-status.ts';
import type {
  MessageEvent,
  MessageView,
  RequestMessageView,
  RequestView,
} from '../../ports/history-store.ts';

/** Row shapes of the history tables as pg returns them (timestamptz as Date), and their views. */
export interface RequestRow {
  request_id: string;
  client_id: string;
  lane: string;
  channel: string;
  accepted_at: Date;
}

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
  created_at: Date;
  updated_at: Date;
}

export interface RequestMessageRow {
  message_index: number;
  message_id: string;
  duplicate: boolean;
  status: string;
  vendor: string | null;
  attempts: number;
  error_code: string | null;
  error_message: string | null;
}

export interface EventRow {
  message_id: string;
  status: string;
  at: Date;
  vendor: string | null;
  attempt: number | null;
  latency_ms: number | null;
  error_code: string | null;
  error_message: string | null;
  dedup_fail_open: boolean | null;
  request_id: string | null;
}

export function toRequestView(row: RequestRow, messages: readonly RequestMessageRow[]): RequestView {
  return {
    requestId: row.request_id,
    clientId: row.client_id,
    channel: row.channel as Channel,
    lane: row.lane as Lane,
    acceptedAt: row.accepted_at.getTime(),
    messages: messages.map(toRequestMessageView),
  };
}

/** Back to the event as written: fields that were absent stay absent. */
export function toMessageEvent(row: EventRow): MessageEvent {
  return {
    messageId: row.message_id,
    status: row.status as MessageStatus,
    at: row.at.getTime(),
    ...(row.vendor !== null && { vendor: row.vendor }),
    ...(row.attempt !== null && { attempt: row.attempt }),
    ...(row.latency_ms !== null && { latencyMs: row.latency_ms }),
    ...(row.error_code !== null && { errorCode: row.error_code }),
    ...(row.error_message !== null && { errorMessage: row.error_message }),
    ...(row.dedup_fail_open !== null && { dedupFailOpen: row.dedup_fail_open }),
    ...(row.request_id !== null && { requestId: row.request_id }),
  };
}

export function toMessageView(row: MessageRow, events: readonly EventRow[]): MessageView {
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
    createdAt: row.created_at.getTime(),
    updatedAt: row.updated_at.getTime(),
    events: events.map(toMessageEvent),
  };
}

function toRequestMessageView(row: RequestMessageRow): RequestMessageView {
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
