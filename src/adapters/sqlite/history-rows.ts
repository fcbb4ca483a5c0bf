import type { SQLInputValue } from 'node:sqlite';
import type {
  MessageEvent,
  MessageView,
  RejectedRecipientView,
  RequestMessageView,
} from '../../ports/history-store.ts';
import * as shared from '../history-views.ts';

/** Row shapes of the history tables as node:sqlite returns them (flags as 0/1). */
export type MessageRow = shared.MessageRow;

export type DeviceMessageRow = shared.DeviceMessageRow;

export interface RequestMessageRow extends Omit<shared.RequestMessageRow, 'duplicate'> {
  duplicate: number;
}

export interface EventRow extends Omit<shared.EventRow, 'dedup_fail_open'> {
  dedup_fail_open: number | null;
}

export function eventParams(event: MessageEvent): SQLInputValue[] {
  return [
    event.messageId,
    event.status,
    Math.trunc(event.at),
    event.vendor ?? null,
    event.attempt ?? null,
    event.latencyMs ?? null,
    event.errorCode ?? null,
    event.errorMessage ?? null,
    event.dedupFailOpen === undefined ? null : Number(event.dedupFailOpen),
    event.requestId ?? null,
    event.vendorMessageId ?? null,
    event.carrier ?? null,
    event.resultCode ?? null,
  ];
}

export function toMessageEvent(row: EventRow): MessageEvent {
  return shared.toMessageEvent({
    ...row,
    dedup_fail_open: row.dedup_fail_open === null ? null : row.dedup_fail_open === 1,
  });
}

export function toMessageView(
  row: MessageRow,
  events: readonly MessageEvent[],
  devices: readonly DeviceMessageRow[],
): MessageView {
  return shared.toMessageView(row, events, devices);
}

export function toRequestMessageView(row: RequestMessageRow): RequestMessageView | RejectedRecipientView {
  return shared.toRequestMessageView({ ...row, duplicate: row.duplicate === 1 });
}
