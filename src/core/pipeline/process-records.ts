import type { Logger } from '../../observability/logger.ts';
import type { HeraldMetrics } from '../../observability/metrics.ts';
import type { DedupStore, ReserveVerdict } from '../../ports/dedup-store.ts';
import type { MessageEvent } from '../../ports/history-store.ts';
import type { TransportRecord } from '../../ports/transport.ts';
import type { Lane } from '../domain/lane.ts';
import type { Envelope } from '../domain/message.ts';
import type { RemoteConfigDocument } from '../domain/remote-config.ts';
import { type DeadTokenContext, markTokenDead } from './dead-tokens.ts';
import { deferNightAds, type LiveRecord } from './defer-night-ads.ts';
import { type CheckContext, checkDeliveries, firstCheck } from './delivery-checks.ts';
import { decodeEnvelope } from './envelope-codec.ts';
import { type ExpansionContext, expandUserPushes, type ParentOutcomes } from './expand-user-pushes.ts';
import type { OutcomeSinks } from './outcome-sinks.ts';
import { planAfterFailure, retryRecord } from './retry-plan.ts';
import { sendGrouped } from './send-grouped.ts';
import { type SendOneContext, sendOne } from './send-one.ts';
import type { SendOutcome } from './send-outcome.ts';

export interface ProcessContext
  extends Omit<SendOneContext, 'onSending' | 'onCall'>,
    ExpansionContext,
    DeadTokenContext,
    Omit<CheckContext, 'sinks' | 'metrics' | 'metadata' | 'router'> {
  readonly lane: Lane;
  readonly dedup: Pick<DedupStore, 'reserve'>;
  readonly sinks: OutcomeSinks;
  readonly config: () => RemoteConfigDocument;
  readonly metrics: HeraldMetrics;
  readonly logger: Logger;
}

/**
 * One polled batch of a lane: decode, drop the expired, defer night ads (defer-night-ads.ts),
 * resolve pushes to users into their devices' messages (expand-user-pushes.ts), reserve every key
 * in one dedup round-trip, then send each reserved message concurrently. `finish(record)` is called
 * once per record, only after its outcome is durable (history written, retry record produced; for
 * a push to a user, every device message's), which is what lets the offset tracker commit past it.
 * `signal` is the lane's shutdown (see sendOne): an attempt it cuts off is never finished, so its
 * record stays uncommitted and is redelivered after a restart, and its dedup reservation is
 * released so that redelivery is sent at once. Records that are delivery checks of sent AlimTalk
 * messages (delivery-checks.ts) ask the vendor for Kakao's result instead, beside the sends.
 */
export async function processRecords(
  context: ProcessContext,
  records: readonly TransportRecord[],
  finish: (record: TransportRecord) => void,
  signal: AbortSignal,
): Promise<void> {
  const live: LiveRecord[] = [];
  const checks: LiveRecord[] = [];
  for (const record of records) {
    const envelope = decodeEnvelope(record.value);
    if (envelope?.deliveryCheck) {
      // A sent message's result is looked up even past its expiry: the expiry bounds sending only.
      checks.push({ record, envelope });
    } else if (!envelope) {
      context.metrics.poisonRecords.inc({ topic: record.topic });
      context.logger.error(
        { topic: record.topic, offset: record.offset },
        'skipping a record that is not an envelope',
      );
      finish(record);
    } else if (envelope.expiresAt <= context.now()) {
      void conclude(context, envelope, expiredEvent(envelope, context.now()), record, finish);
    } else {
      live.push({ record, envelope });
    }
  }
  await settleAll([
    checks.length > 0 ? checkDeliveries(context, checks, finish, signal) : Promise.resolve(),
    sendAll(context, live, finish, signal),
  ]);
}

async function sendAll(
  context: ProcessContext,
  live: readonly LiveRecord[],
  finish: (record: TransportRecord) => void,
  signal: AbortSignal,
): Promise<void> {
  // Advertising law: an ad without night consent waits for 08:00 KST, before any dedup key is taken.
  const deferred = await deferNightAds(context, live, finish);
  const sendable = await expandUserPushes(context, deferred, parentOutcomes(context, finish), signal);
  if (sendable.length === 0) return;
  const { verdicts, failOpen } = await reserveAll(
    context,
    sendable.map(({ envelope }) => envelope.key),
  );
  const finishOne = finishWhenAllDone(
    finish,
    sendable.map(({ record }) => record),
  );
  const items = sendable.map(({ record, envelope }, i) => ({
    envelope,
    record,
    verdict: verdicts[i]!,
    failOpen,
  }));
  // One send context for the batch: built per message, its copy of the whole context was a large
  // object and three closures of garbage for every message sent.
  const sends = sendContext(context);
  if (!context.config().lanes[context.lane].bulkVendorCalls) {
    await settleAll(items.map((item) => handleVerdict(context, sends, item, finishOne, signal)));
    return;
  }
  // Batch and ad lanes: the reserved messages go in bulk calls where the vendor's wire allows.
  const fresh = items.filter((item) => item.verdict === 'reserved');
  await settleAll([
    ...items
      .filter((item) => item.verdict !== 'reserved')
      .map((item) => handleVerdict(context, sends, item, finishOne, signal)),
    sendGrouped(
      sends,
      fresh.map((item) => ({
        envelope: item.envelope,
        settle: (outcome) => afterSend(context, item, outcome, finishOne),
      })),
      signal,
    ),
  ]);
}

/**
 * The device messages of a push to a user share their parent's record: it is finished once the
 * last of them is. Every other record has one message and is finished with it.
 */
function finishWhenAllDone(
  finish: (record: TransportRecord) => void,
  records: readonly TransportRecord[],
): (record: TransportRecord) => void {
  const remaining = new Map<TransportRecord, number>();
  for (const record of records) remaining.set(record, (remaining.get(record) ?? 0) + 1);
  return (record) => {
    const left = (remaining.get(record) ?? 1) - 1;
    remaining.set(record, left);
    if (left === 0) finish(record);
  };
}

function parentOutcomes(context: ProcessContext, finish: (record: TransportRecord) => void): ParentOutcomes {
  return {
    conclude: ({ envelope, record }, event) => conclude(context, envelope, event, record, finish),
    async fail({ envelope, record }, error) {
      await settle(context, envelope, { kind: 'failed', vendor: undefined, latencyMs: 0, error }, false);
      finish(record);
    },
  };
}

/**
 * Waits for every record's work and only then rejects with the first failure, so that whatever the
 * poll loop hands to retry after a failed batch is no longer being worked on.
 */
async function settleAll(work: readonly Promise<void>[]): Promise<void> {
  const failed = (await Promise.allSettled(work)).find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}

async function reserveAll(
  context: ProcessContext,
  keys: string[],
): Promise<{ verdicts: ReserveVerdict[]; failOpen: boolean }> {
  try {
    return {
      verdicts: await context.dedup.reserve(keys, context.config().dedup.reserveTtlMs),
      failOpen: false,
    };
  } catch (error) {
    // Fail-open (the talk's rule): a dedup outage must not stop sending. Counted and flagged in history.
    context.logger.warn(
      { err: error, keys: keys.length },
      'dedup store unavailable, sending without the check',
    );
    context.metrics.dedupFailOpen.inc({ lane: context.lane }, keys.length);
    return { verdicts: keys.map(() => 'reserved'), failOpen: true };
  }
}

interface Reserved {
  readonly envelope: Envelope;
  readonly record: TransportRecord;
  readonly verdict: ReserveVerdict;
  readonly failOpen: boolean;
}

async function handleVerdict(
  context: ProcessContext,
  sends: SendOneContext,
  { envelope, record, verdict, failOpen }: Reserved,
  finish: (record: TransportRecord) => void,
  signal: AbortSignal,
): Promise<void> {
  const now = context.now();
  if (verdict === 'sent') {
    return conclude(context, envelope, baseEvent(envelope, now, 'duplicate'), record, finish);
  }
  if (verdict === 'in-flight') {
    // Another attempt holds the key (in flight, or its owner crashed): look again once it lapses.
    const notBefore = now + context.config().dedup.reserveTtlMs;
    await context.sinks.produce.write([retryRecord(envelope, { notBefore, attempt: envelope.attempt })]);
    const event = baseEvent(envelope, now, 'retrying');
    event.errorMessage = 'already in flight';
    return conclude(context, envelope, event, record, finish);
  }
  const outcome = await sendOne(sends, envelope, signal);
  await afterSend(context, { envelope, record, failOpen }, outcome, finish);
}

/** The pipeline's part of a send: the `sending` event, and every vendor call counted per lane. */
function sendContext(context: ProcessContext): SendOneContext {
  return {
    ...context,
    onSending: (envelope, vendor) => sending(context, envelope, vendor),
    onCall: (vendor) => context.metrics.vendorCalls.inc({ lane: context.lane, vendor }),
    onRateWait: (vendor, waitedMs) =>
      context.metrics.vendorRateWait.observe({ lane: context.lane, vendor }, waitedMs / 1_000),
  };
}

/**
 * A reserved message's attempt has ended: its outcome made durable, then its record finished. An
 * abandoned attempt (shutdown) is neither: its key is released for the redelivery after restart.
 */
async function afterSend(
  context: ProcessContext,
  { envelope, record, failOpen }: Omit<Reserved, 'verdict'>,
  outcome: SendOutcome,
  finish: (record: TransportRecord) => void,
): Promise<void> {
  if (outcome.kind === 'abandoned') {
    context.metrics.sendsAbandoned.inc({ lane: context.lane });
    await context.sinks.releases.write([envelope.key]).catch(() => {});
    return;
  }
  await settle(context, envelope, outcome, failOpen);
  finish(record);
}

async function settle(
  context: ProcessContext,
  envelope: Envelope,
  outcome: Exclude<SendOutcome, { kind: 'abandoned' }>,
  failOpen: boolean,
) {
  const now = context.now();
  const vendor = outcome.vendor ?? 'none';
  context.metrics.vendorLatency.observe({ vendor, outcome: outcome.kind }, outcome.latencyMs / 1000);
  if (outcome.kind === 'sent') {
    context.metrics.outcomes.inc({ lane: context.lane, channel: envelope.channel, status: 'sent', vendor });
    // History first, then the AlimTalk's delivery check, then the dedup confirmation: a crash
    // before the confirmation leaves the key merely reserved, so the redelivered copy is sent again
    // (absorbed by the vendor's idempotency key where it has one) and recorded as sent, with its
    // check. The confirmation any earlier could leave a delivered message recorded as a duplicate,
    // or an AlimTalk whose check was never queued: `sent` for good, its fallback never sent.
    const sent = settledEvent(envelope, 'sent', now, outcome);
    sent.vendorMessageId = outcome.vendorMessageId;
    if (failOpen) sent.dedupFailOpen = true;
    await context.sinks.history.write([sent]);
    // AlimTalk: learn Kakao's result from the vendor, and send the fallback if it did not deliver.
    const check = firstCheck(context.router, envelope, outcome, now);
    if (check) await context.sinks.produce.write([check]);
    await context.sinks.confirms.write([envelope.key]).catch(() => {});
    return;
  }
  const plan = planAfterFailure(envelope, outcome, context.config().retry, now);
  const released = context.sinks.releases.write([envelope.key]).catch(() => {});
  const markedDead = markTokenDead(context, envelope, outcome.error);
  if (plan.kind === 'retry') await context.sinks.produce.write([plan.record]);
  context.metrics.outcomes.inc({
    lane: context.lane,
    channel: envelope.channel,
    status: plan.status,
    vendor,
  });
  const vendorCode = outcome.error.vendorCode ? `[${outcome.error.vendorCode}] ` : '';
  const failed = settledEvent(envelope, plan.status, now, outcome);
  failed.errorCode = plan.errorCode;
  failed.errorMessage = `${vendorCode}${outcome.error.message}`;
  await Promise.all([released, markedDead, context.sinks.history.write([failed])]);
}

/** The event an ended attempt writes; its caller adds what the outcome carries. */
function settledEvent(
  envelope: Envelope,
  status: MessageEvent['status'],
  now: number,
  outcome: Exclude<SendOutcome, { kind: 'abandoned' }>,
): Mutable<MessageEvent> {
  const event = baseEvent(envelope, now, status);
  event.vendor = outcome.vendor;
  event.latencyMs = outcome.latencyMs;
  return event;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function sending(context: ProcessContext, envelope: Envelope, vendor: string): void {
  const event = baseEvent(envelope, context.now(), 'sending');
  event.vendor = vendor;
  void context.sinks.history.write([event]);
}

async function conclude(
  context: ProcessContext,
  envelope: Envelope,
  event: MessageEvent,
  record: TransportRecord,
  finish: (record: TransportRecord) => void,
): Promise<void> {
  context.metrics.outcomes.inc({
    lane: context.lane,
    channel: envelope.channel,
    status: event.status,
    vendor: 'none',
  });
  await context.sinks.history.write([event]);
  finish(record);
}

/**
 * A message's event with `status`, as one mutable object: callers add their fields to it rather
 * than spread it into another (this runs for every message sent, several times).
 */
function baseEvent(envelope: Envelope, now: number, status: MessageEvent['status']): Mutable<MessageEvent> {
  return {
    messageId: envelope.messageId,
    clientId: envelope.clientId,
    status,
    at: now,
    attempt: envelope.attempt,
  };
}

function expiredEvent(envelope: Envelope, now: number): MessageEvent {
  const event = baseEvent(envelope, now, 'expired');
  event.errorCode = 'HERALD_EXPIRED';
  event.errorMessage = 'reached its expiry before it could be sent';
  return event;
}
