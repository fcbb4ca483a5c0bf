import { createHash } from 'node:crypto';
import type { MessageEvent } from '../../ports/history-store.ts';
import type { MessageStatus } from '../domain/message-status.ts';

/** The status changes a client hears of; accepted, queued, sending... are herald's own business. */
export const NOTIFYING_STATUSES: ReadonlySet<MessageStatus> = new Set([
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'expired',
  'deferred',
]);

/**
 * One status change as the client receives it. No recipient: the client knows it by messageId, and
 * a callback must not spread phone numbers or addresses to wherever a receiver logs its requests.
 */
export interface CallbackEvent {
  /** Stable: the same on every retry, for the receiver's dedup. */
  readonly id: string;
  readonly type: `message.${string}`;
  /** ISO 8601, when the status changed. */
  readonly timestamp: string;
  readonly data: {
    readonly messageId: string;
    readonly requestId?: string;
    readonly status: MessageStatus;
    readonly vendor?: string;
    readonly carrier?: string;
    readonly errorCode?: string;
    readonly errorMessage?: string;
    /** Epoch ms of the change. */
    readonly at: number;
  };
}

export function notifies(event: MessageEvent): event is MessageEvent & { clientId: string } {
  return event.clientId !== undefined && NOTIFYING_STATUSES.has(event.status);
}

/**
 * The event's id is a hash of the message, status, attempt and time: the history event it stands
 * for, so the same write redelivered yields the same id.
 */
export function toCallbackEvent(event: MessageEvent): CallbackEvent {
  const id = `evt_${createHash('sha256')
    .update(`${event.messageId}|${event.status}|${event.attempt ?? 0}|${event.at}`)
    .digest('base64url')
    .slice(0, 32)}`;
  return {
    id,
    type: `message.${event.status}`,
    timestamp: new Date(event.at).toISOString(),
    data: {
      messageId: event.messageId,
      ...(event.requestId !== undefined && { requestId: event.requestId }),
      status: event.status,
      ...(event.vendor !== undefined && { vendor: event.vendor }),
      ...(event.carrier !== undefined && { carrier: event.carrier }),
      ...(event.errorCode !== undefined && { errorCode: event.errorCode }),
      ...(event.errorMessage !== undefined && { errorMessage: event.errorMessage }),
      at: event.at,
    },
  };
}

/** What herald.callbacks, its retry topic and its dead topic carry: one client's events. */
export interface CallbackRecord {
  readonly clientId: string;
  readonly events: readonly CallbackEvent[];
  /** Attempts made so far (0: none yet). */
  readonly attempt: number;
  /** Epoch ms of the oldest event's first sight: the 24 h of retries count from here. */
  readonly firstAt: number;
  /** Not to be tried before (epoch ms); absent: at once. */
  readonly notBefore?: number;
  /** On the dead topic: why it was given up. */
  readonly reason?: string;
}

export function decodeCallbackRecord(value: string): CallbackRecord | undefined {
  try {
    const record = JSON.parse(value) as CallbackRecord;
    if (typeof record.clientId !== 'string' || !Array.isArray(record.events)) return undefined;
    if (typeof record.attempt !== 'number' || typeof record.firstAt !== 'number') return undefined;
    return record;
  } catch {
    return undefined;
  }
}

/**
 * The POST's `webhook-id`: a lone event's own id, or for a batch a hash of its events' ids, so a
 * retry of the same batch carries the same id (each event inside keeps its own for finer dedup).
 */
export function batchId(events: readonly CallbackEvent[]): string {
  if (events.length === 1) return events[0]!.id;
  const hash = createHash('sha256');
  for (const event of events) hash.update(`${event.id}\n`);
  return `batch_${hash.digest('base64url').slice(0, 32)}`;
}
