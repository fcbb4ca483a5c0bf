import { isTerminal, MESSAGE_STATUSES, type MessageStatus } from '../core/domain/message-status.ts';
import type { HeraldClient } from './herald-client.ts';

/** A recipient of the request view: a message with its status, or a refused one (`{ index, error }`). */
export interface RequestViewEntry {
  readonly index: number;
  readonly messageId?: string;
  readonly status?: string;
  readonly error?: { readonly code: string; readonly message: string } | null;
  /** A push to a user, once resolved (`expanded`): its device messages, each with its own status. */
  readonly devices?: readonly Delivery[];
  /** An AlimTalk message Kakao could not deliver: the SMS/LMS herald sent in its place. */
  readonly fallback?: Delivery;
}

type Delivery = Omit<RequestViewEntry, 'index' | 'devices' | 'fallback'>;

/**
 * What reaches the recipient for one entry: a resolved push to a user's device messages, an
 * undelivered AlimTalk's fallback SMS/LMS, or else the message itself.
 */
export function deliveriesOf(entry: RequestViewEntry): readonly Delivery[] {
  if (entry.status === 'expanded') return entry.devices ?? [];
  if (entry.status === 'undelivered' && entry.fallback) return [entry.fallback];
  return [entry];
}

/**
 * Polls GET /v1/requests/:id until every recipient is final, or `attempts` polls have passed.
 * A status this CLI does not know (a newer herald's) counts as final, so the wait always ends.
 */
export async function waitForRequest(
  client: HeraldClient,
  requestId: string,
  attempts = 600,
  intervalMs = 500,
): Promise<{ entries: RequestViewEntry[]; final: boolean; view: unknown }> {
  let view: { messages: RequestViewEntry[] } = { messages: [] };
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    view = (await client.call('GET', `/v1/requests/${encodeURIComponent(requestId)}`)).body;
    if (view.messages.every(isEntryFinal)) {
      return { entries: view.messages, final: true, view };
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return { entries: view.messages, final: false, view };
}

/** A resolved push to a user is final once every device message is; an AlimTalk, once its fallback is. */
export function isEntryFinal(entry: RequestViewEntry): boolean {
  return isFinal(entry.status) && deliveriesOf(entry).every((delivery) => isFinal(delivery.status));
}

/** A recipient refused at submission (no status, no message) is final from the start. */
function isFinal(status: string | undefined): boolean {
  if (status === undefined) return true;
  return !(MESSAGE_STATUSES as readonly string[]).includes(status) || isTerminal(status as MessageStatus);
}
