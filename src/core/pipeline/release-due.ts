import type { HeraldMetrics } from '../../observability/metrics.ts';
import type { MessageEvent } from '../../ports/history-store.ts';
import type { ClaimedRecord, ScheduleStore } from '../../ports/schedule-store.ts';
import type { OutgoingRecord, Transport } from '../../ports/transport.ts';
import type { HeraldError } from '../domain/errors.ts';
import type { Lane } from '../domain/lane.ts';
import type { Envelope } from '../domain/message.ts';
import type { BatchingWriter } from './batching-writer.ts';
import { decodeEnvelope, encodeEnvelope } from './envelope-codec.ts';
import { type OptOutRecheckContext, recheckOptOuts } from './recheck-opt-outs.ts';
import type { ScheduleKind } from './schedule-queues.ts';
import { checksTopic, sendTopic } from './topics.ts';

/**
 * The message back on its lane's send topic, without what only the wait needed; a delivery check
 * goes to the lane's checks topic instead (topics.ts says why).
 */
export function sendRecord(envelope: Envelope): OutgoingRecord {
  const { notBefore: _, deferredForNight: __, ...rest } = envelope;
  return {
    topic: envelope.deliveryCheck ? checksTopic(envelope.lane) : sendTopic(envelope.lane, envelope.channel),
    key: envelope.key,
    value: encodeEnvelope(rest),
  };
}

/** A message whose expiry came while it waited: it ends `expired`, never sent. */
export function expiredEvent(envelope: Envelope, now: number): MessageEvent {
  return {
    messageId: envelope.messageId,
    clientId: envelope.clientId,
    status: 'expired',
    at: now,
    attempt: envelope.attempt,
    errorCode: 'HERALD_EXPIRED',
    errorMessage: 'reached its expiry while waiting for a retry',
  };
}

export interface ReleaseContext extends OptOutRecheckContext {
  readonly lane: Lane;
  readonly now: () => number;
  readonly transport: Pick<Transport, 'produce'>;
  readonly history: Pick<BatchingWriter<MessageEvent>, 'write'>;
  readonly schedule: Pick<ScheduleStore, 'remove'>;
  readonly metrics: Pick<HeraldMetrics, 'outcomes' | 'scheduleReleased' | 'poisonRecords'>;
}

/**
 * Releases claimed records whose wait is over: the expired end in history, ads of the ad lane pass
 * the opt-out list again (a refused one ends `failed` with its reason, never sent), the rest go back
 * to their send topic. Only once every outcome is durable (produce acknowledged, history written)
 * are the records removed from the store; a failure anywhere leaves them parked for the next claim
 * after the lease, so a release is at-least-once and the lane's dedup check absorbs a repeat.
 */
export async function releaseClaimed(
  context: ReleaseContext,
  kind: ScheduleKind,
  claimed: readonly ClaimedRecord[],
): Promise<void> {
  const now = context.now();
  const live: Envelope[] = [];
  const expired: Envelope[] = [];
  let poison = 0;
  for (const record of claimed) {
    const envelope = decodeEnvelope(record.value);
    if (!envelope) poison++;
    else if (envelope.expiresAt <= now && !envelope.deliveryCheck) expired.push(envelope);
    else live.push(envelope);
  }
  const { sendable, refused } =
    context.lane === 'ad' && live.length > 0
      ? await recheckOptOuts(context, live)
      : { sendable: live, refused: [] };
  const events = [
    ...expired.map((envelope) => expiredEvent(envelope, now)),
    ...refused.map(({ envelope, error }) => refusedEvent(envelope, error, now)),
  ];
  await Promise.all([context.transport.produce(sendable.map(sendRecord)), context.history.write(events)]);
  await context.schedule.remove(claimed);
  count(context, kind, { dispatched: sendable, expired, refused: refused.map((r) => r.envelope) });
  if (poison > 0) context.metrics.poisonRecords.inc({ topic: claimed[0]!.queue }, poison);
}

function refusedEvent(envelope: Envelope, error: HeraldError, now: number): MessageEvent {
  return {
    messageId: envelope.messageId,
    clientId: envelope.clientId,
    status: 'failed',
    at: now,
    attempt: envelope.attempt,
    errorCode: error.code,
    errorMessage: error.message,
  };
}

function count(
  context: ReleaseContext,
  kind: ScheduleKind,
  outcomes: Record<'dispatched' | 'expired' | 'refused', readonly Envelope[]>,
): void {
  for (const [outcome, envelopes] of Object.entries(outcomes)) {
    if (envelopes.length === 0) continue;
    context.metrics.scheduleReleased.inc({ lane: context.lane, queue: kind, outcome }, envelopes.length);
    if (outcome === 'dispatched') continue;
    const status = outcome === 'expired' ? 'expired' : 'failed';
    for (const envelope of envelopes) {
      context.metrics.outcomes.inc({ lane: context.lane, channel: envelope.channel, status, vendor: 'none' });
    }
  }
}
