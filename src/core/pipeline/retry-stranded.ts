import type { HeraldMetrics } from '../../observability/metrics.ts';
import type { MessageEvent } from '../../ports/history-store.ts';
import type { OutgoingRecord, Transport, TransportRecord } from '../../ports/transport.ts';
import { HeraldError } from '../domain/errors.ts';
import type { Lane } from '../domain/lane.ts';
import type { DeliveryCheckState, Envelope } from '../domain/message.ts';
import type { RemoteConfigDocument } from '../domain/remote-config.ts';
import { checkDelay } from './delivery-checks.ts';
import { decodeEnvelope } from './envelope-codec.ts';
import type { OutcomeSinks } from './outcome-sinks.ts';
import type { Finish } from './poll-loop.ts';
import { planAfterFailure, retryRecord } from './retry-plan.ts';

export interface StrandedContext {
  readonly lane: Lane;
  /** Produced to directly, not through the batching sink: a failure here must reach the caller. */
  readonly transport: Pick<Transport, 'produce'>;
  readonly sinks: Pick<OutcomeSinks, 'history'>;
  readonly config: () => RemoteConfigDocument;
  readonly metrics: Pick<HeraldMetrics, 'outcomes' | 'poisonRecords'>;
  readonly now: () => number;
}

/**
 * The lane's answer to a batch whose handler threw (a bug or a broken collaborator): each record it
 * left unfinished counts as a failed attempt with that error, HERALD_INTERNAL, and goes the way of
 * any retryable failure: to the lane's retry topic with its backoff, or `failed`/`expired` when the
 * retry policy says so. History shows it; then the record is finished and the partition commits on.
 *
 * Dedup reservations are left to lapse rather than released: the handler may have called the vendor
 * before it threw, and a lapsed reservation makes the retry wait for it instead of racing it.
 * Rejects (and finishes nothing) when the retry records cannot be produced, so the poll loop
 * reports the lane as stuck instead of going on in silence.
 */
export async function retryStranded(
  context: StrandedContext,
  records: readonly TransportRecord[],
  error: unknown,
  finish: Finish,
): Promise<void> {
  const now = context.now();
  // The history message stays generic (clients read it); the poll loop logs the error itself.
  const fault = new HeraldError(
    'HERALD_INTERNAL',
    `the ${context.lane} lane worker failed while handling this message`,
    { retryable: true, cause: error },
  );
  const retries: OutgoingRecord[] = [];
  const events: MessageEvent[] = [];
  for (const record of records) {
    const envelope = decodeEnvelope(record.value);
    if (!envelope) {
      context.metrics.poisonRecords.inc({ topic: record.topic });
      continue;
    }
    if (envelope.deliveryCheck) {
      // A look-up, not an attempt: asked again later; the sent message's history is left alone.
      retries.push(retryCheck(envelope, envelope.deliveryCheck, now));
      continue;
    }
    const outcome = { kind: 'failed', vendor: undefined, latencyMs: 0, error: fault } as const;
    const plan = planAfterFailure(envelope, outcome, context.config().retry, now);
    if (plan.kind === 'retry') retries.push(plan.record);
    const labels = { lane: context.lane, channel: envelope.channel, vendor: 'none' };
    context.metrics.outcomes.inc({ ...labels, status: plan.status });
    events.push({
      messageId: envelope.messageId,
      clientId: envelope.clientId,
      status: plan.status,
      at: now,
      attempt: envelope.attempt,
      errorCode: plan.errorCode,
      errorMessage: fault.message,
    });
  }
  if (retries.length > 0) await context.transport.produce(retries);
  await context.sinks.history.write(events);
  for (const record of records) finish(record);
}

function retryCheck(envelope: Envelope, check: DeliveryCheckState, now: number): OutgoingRecord {
  const notBefore = Math.min(now + checkDelay(check.round), Math.max(now, check.deadline));
  return retryRecord(envelope, { notBefore, attempt: envelope.attempt });
}
