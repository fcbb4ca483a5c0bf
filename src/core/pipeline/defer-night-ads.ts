import type { HeraldMetrics } from '../../observability/metrics.ts';
import type { TransportRecord } from '../../ports/transport.ts';
import { formatKst, nextSendableAt } from '../content/ad-night-window.ts';
import type { Lane } from '../domain/lane.ts';
import type { Envelope } from '../domain/message.ts';
import type { OutcomeSinks } from './outcome-sinks.ts';
import { retryRecord } from './retry-plan.ts';

export interface DeferContext {
  readonly lane: Lane;
  readonly now: () => number;
  readonly sinks: Pick<OutcomeSinks, 'produce' | 'history'>;
  readonly metrics: Pick<HeraldMetrics, 'outcomes'>;
}

export interface LiveRecord {
  readonly record: TransportRecord;
  readonly envelope: Envelope;
}

/**
 * The night rule (정보통신망법 §50③): between 21:00 and 08:00 KST an ad reaches only recipients
 * who gave separate prior consent to night ads. Any other ad is deferred, not dropped: it goes to
 * the lane's retry topic with notBefore = the next 08:00 KST and the same attempt number (waiting
 * is not a failed attempt), and history shows `deferred` until when. The retry worker parks it
 * in the lane's night queue; at 08:00 it checks the opt-out list again and releases the wave at a
 * bounded pace. Should the message expire first, the retry worker ends it as `expired`.
 *
 * E-mail is exempt (시행령). Runs before the dedup reservation, so a deferred ad holds no key.
 * Returns the records still to send; the deferred ones are finished once their retry record and
 * history event are written.
 */
export async function deferNightAds(
  context: DeferContext,
  live: readonly LiveRecord[],
  finish: (record: TransportRecord) => void,
): Promise<LiveRecord[]> {
  if (context.lane !== 'ad') return [...live];
  const now = context.now();
  const until = nextSendableAt(now);
  if (until === undefined) return [...live];
  const sendable: LiveRecord[] = [];
  const deferring: Promise<void>[] = [];
  for (const item of live) {
    if (item.envelope.channel === 'email' || item.envelope.nightAdConsent === true) {
      sendable.push(item);
    } else {
      deferring.push(defer(context, item, now, until).then(() => finish(item.record)));
    }
  }
  await Promise.all(deferring);
  return sendable;
}

async function defer(context: DeferContext, { envelope }: LiveRecord, now: number, until: number) {
  await context.sinks.produce.write([
    retryRecord(envelope, { notBefore: until, attempt: envelope.attempt, deferredForNight: true }),
  ]);
  context.metrics.outcomes.inc({
    lane: context.lane,
    channel: envelope.channel,
    status: 'deferred',
    vendor: 'none',
  });
  await context.sinks.history.write([
    {
      messageId: envelope.messageId,
      clientId: envelope.clientId,
      status: 'deferred',
      at: now,
      attempt: envelope.attempt,
      errorMessage:
        `night ad rule (정보통신망법 §50③): no night consent for this recipient, ` +
        `deferred until ${formatKst(until)}`,
    },
  ]);
}
