import type { Channel } from '../../core/domain/channel.ts';
import type { Lane } from '../../core/domain/lane.ts';
import type { MessageEvent, MessageView, RequestView } from '../../ports/history-store.ts';
import * as shared from '../history-views.ts';

/** Row shapes of the history tables as pg returns them (timestamptz as Date), and their views. */
export interface RequestRow {
  request_id: string;
  client_id: string;
  lane: string;
  channel: string;
  accepted_at: Date;
}

export interface MessageRow extends Omit<shared.MessageRow, 'created_at' | 'updated_at'> {
  created_at: Date;
  updated_at: Date;
}

export type RequestMessageRow = shared.RequestMessageRow;

export type DeviceMessageRow = shared.DeviceMessageRow;

export interface EventRow extends Omit<shared.EventRow, 'at'> {
  at: Date;
}

export function toRequestView(
  row: RequestRow,
  messages: readonly RequestMessageRow[],
  devices: readonly DeviceMessageRow[],
): RequestView {
  return {
    requestId: row.request_id,
    clientId: row.client_id,
    channel: row.channel as Channel,
    lane: row.lane as Lane,
    acceptedAt: row.accepted_at.getTime(),
    messages: shared.withDevices(messages.map(shared.toRequestMessageView), devices),
  };
}

export function toMessageEvent(row: EventRow): MessageEvent {
  return shared.toMessageEvent({ ...row, at: row.at.getTime() });
}

export function toMessageView(
  row: MessageRow,
  events: readonly EventRow[],
  devices: readonly DeviceMessageRow[],
): MessageView {
  const normalised = { ...row, created_at: row.created_at.getTime(), updated_at: row.updated_at.getTime() };
  return shared.toMessageView(normalised, events.map(toMessageEvent), devices);
}
