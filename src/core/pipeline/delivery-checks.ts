import type { Logger } from '../../observability/logger.ts';
import type { HeraldMetrics } from '../../observability/metrics.ts';
import type { OutgoingRecord, TransportRecord } from '../../ports/transport.ts';
import type { DeliveryCheck } from '../../ports/vendor.ts';
import type { DeliveryReceipt } from '../domain/delivery-receipt.ts';
import { HeraldError, isHeraldError } from '../domain/errors.ts';
import type { Lane } from '../domain/lane.ts';
import type { DeliveryCheckState, Envelope } from '../domain/message.ts';
import { receiptRecord } from '../receipts/receipt-codec.ts';
import type { VendorRouter } from '../routing/vendor-router.ts';
import { type FallbackSinkContext, fallbackEnvelope, queueFallback } from './alimtalk-fallback.ts';
import { checkRecord, doublingDelay } from './check-records.ts';
import type { ConcurrencyLimit } from './concurrency-limit.ts';
import type { LiveRecord } from './defer-night-ads.ts';
import type { MetadataResolver } from './metadata-resolver.ts';
import type { OutcomeSinks } from './outcome-sinks.ts';
import {
  firstReceiptCheck,
  lookUpReceipts,
  RECEIPT_CHANNELS,
  type ReceiptLookupContext,
} from './receipt-lookups.ts';

/** The first look-up waits 1 s after the vendor accepted the message; each next one twice as long. */
export const CHECK_FIRST_DELAY_MS = 1_000;
export const CHECK_MAX_DELAY_MS = 60_000;
/**
 * How long herald keeps asking: until the message's expiry, and never more than 24 h after the
 * vendor accepted it (Kakao settles a result within seconds; a vendor that still says pending by
 * then will not say otherwise). Past the deadline the message stays `sent` (docs/fallback.md).
 */
export const CHECK_WINDOW_MS = 24 * 3_600_000;

export function checkDelay(round: number): number {
  return doublingDelay(round, CHECK_FIRST_DELAY_MS, CHECK_MAX_DELAY_MS);
}

/**
 * The first delivery check of an AlimTalk message its vendor just accepted: a record on the lane's
 * retry topic (the retry worker holds or parks it and brings it back to the lane like a retry). For
 * an SMS/LMS/MMS whose vendor has a receipt look-up, the first receipt look-up (receipt-lookups.ts).
 * Undefined when the vendor has no look-up for the channel.
 */
export function firstCheck(
  router: Pick<VendorRouter, 'vendor'>,
  envelope: Envelope,
  sent: { readonly vendor: string; readonly vendorMessageId: string },
  now: number,
): OutgoingRecord | undefined {
  const adapter = router.vendor(sent.vendor)?.vendor;
  if (adapter?.receipts && RECEIPT_CHANNELS.has(envelope.channel)) {
    return firstReceiptCheck(adapter.receipts, envelope, sent, now);
  }
  if (envelope.channel !== 'alimtalk' || !adapter?.checkDelivery) return undefined;
  const deadline = Math.min(envelope.expiresAt, now + CHECK_WINDOW_MS);
  const { vendor, vendorMessageId } = sent;
  const state: DeliveryCheckState = { vendor, vendorMessageId, round: 1, sentAt: now, deadline };
  return checkRecord(envelope, state, Math.min(now + checkDelay(1), deadline));
}

export interface CheckContext extends FallbackSinkContext, Pick<ReceiptLookupContext, 'receiptPacer'> {
  readonly lane: Lane;
  readonly router: Pick<VendorRouter, 'vendor'>;
  readonly metadata: Pick<MetadataResolver, 'fallbackFor'>;
  readonly metadataPool: ConcurrencyLimit;
  readonly sendPool: ConcurrencyLimit;
  readonly sinks: Pick<OutcomeSinks, 'history' | 'expansions' | 'produce'>;
  readonly metrics: Pick<HeraldMetrics, 'deliveryChecks' | 'alimtalkFallbacks' | 'outcomes'>;
  readonly logger: Logger;
}

/**
 * The lane's answer to check records: asks the vendor that accepted each message for Kakao's result
 * (in the send pool, within the vendor's time limit; no dedup reservation: a look-up sends nothing).
 * Pending or unanswered: looked up again later, until the deadline. Delivered: a `delivered`
 * receipt. Undelivered: an `undelivered` receipt with the vendor's code, after, when the vendor says
 * the recipient can still be reached and the template has a text for it, the fallback SMS/LMS is
 * queued (alimtalk-fallback.ts). Receipts go to the receipts topic, as a text message's do.
 * Each record is finished once its outcome is durable; one cut off by shutdown is left unfinished.
 */
export async function checkDeliveries(
  context: CheckContext,
  items: readonly LiveRecord[],
  finish: (record: TransportRecord) => void,
  signal: AbortSignal,
): Promise<void> {
  // Text messages' receipt look-ups go in batches per vendor; AlimTalk's one by one, as before.
  const receipts = items.filter(({ envelope }) => envelope.channel !== 'alimtalk');
  const kakao = items.filter(({ envelope }) => envelope.channel === 'alimtalk');
  await Promise.all([
    receipts.length > 0 ? lookUpReceipts(context, receipts, finish, signal) : undefined,
    ...kakao.map(async ({ record, envelope }) => {
      const result = await lookUp(context, envelope.deliveryCheck!, signal);
      if (result === 'abandoned') return;
      await conclude(context, envelope, result, signal);
      finish(record);
    }),
  ]);
}

async function lookUp(
  context: CheckContext,
  check: DeliveryCheckState,
  signal: AbortSignal,
): Promise<DeliveryCheck | HeraldError | 'abandoned'> {
  try {
    return await context.sendPool.run(async () => {
      const found = context.router.vendor(check.vendor);
      const checkDelivery = found?.vendor.checkDelivery?.bind(found.vendor);
      if (!found || !checkDelivery) {
        throw new HeraldError('HERALD_NO_VENDOR', `vendor ${check.vendor} has no result look-up here`, {
          retryable: true,
        });
      }
      const limited = AbortSignal.any([signal, AbortSignal.timeout(found.settings.timeoutMs)]);
      return await checkDelivery(check.vendorMessageId, limited);
    }, signal);
  } catch (error) {
    if (signal.aborted) return 'abandoned';
    return isHeraldError(error)
      ? error
      : new HeraldError('HERALD_VENDOR_UNAVAILABLE', String(error), { retryable: true, cause: error });
  }
}

async function conclude(
  context: CheckContext,
  envelope: Envelope,
  result: DeliveryCheck | HeraldError,
  signal: AbortSignal,
): Promise<void> {
  const check = envelope.deliveryCheck!;
  const outcome = result instanceof HeraldError ? 'error' : result.state;
  if (result instanceof HeraldError || result.state === 'pending') {
    if (result instanceof HeraldError) {
      context.logger.warn(
        { err: result, vendor: check.vendor },
        'delivery look-up failed; asking again later',
      );
    }
    return again(context, envelope, outcome);
  }
  count(context, check, outcome, envelope);
  if (result.state === 'delivered') {
    await context.sinks.produce.write([kakaoReceipt(check, result, '', context.now())]);
    return;
  }
  const after = result.fallback
    ? await fallBack(context, envelope, signal)
    : 'the vendor offers no other way';
  if (after === 'again') return again(context, envelope, 'error');
  await context.sinks.produce.write([
    kakaoReceipt(check, result, `${result.message}; ${after}`, context.now()),
  ]);
}

/**
 * Kakao's result as a receipt on the receipts topic, like a text message's: the receipts worker
 * matches it to the AlimTalk by the vendor's id and writes `delivered` or `undelivered` at the
 * vendor's time, once. A check done again (its record redelivered after a crash) repeats the
 * receipt, which the worker sees the message already has and writes nothing for.
 */
function kakaoReceipt(
  check: DeliveryCheckState,
  result: Exclude<DeliveryCheck, { state: 'pending' }>,
  message: string,
  now: number,
): OutgoingRecord {
  const receipt: DeliveryReceipt = {
    vendor: check.vendor,
    vendorMessageId: check.vendorMessageId,
    state: result.state,
    at: result.at,
    code: result.code,
    message,
    carrier: result.carrier ?? 'unknown',
    source: 'lookup',
    receivedAt: now,
    ...(result.state === 'undelivered' && { errorCode: 'HERALD_KAKAO_UNDELIVERED' as const }),
  };
  return receiptRecord({ receipt, sentAt: check.sentAt, matchAttempt: 0 });
}

/** The next look-up with a doubled wait, or, past the deadline, none: the message stays `sent`. */
async function again(context: CheckContext, envelope: Envelope, outcome: string): Promise<void> {
  const check = envelope.deliveryCheck!;
  const now = context.now();
  if (now >= check.deadline) {
    count(context, check, 'gave-up', envelope);
    context.logger.warn(
      { vendor: check.vendor, messageId: envelope.messageId, rounds: check.round },
      'no delivery result by the deadline; the message stays sent, without fallback',
    );
    return;
  }
  context.metrics.deliveryChecks.inc({ lane: context.lane, vendor: check.vendor, outcome });
  const next = { ...check, round: check.round + 1 };
  await context.sinks.produce.write([
    checkRecord(envelope, next, Math.min(now + checkDelay(next.round), check.deadline)),
  ]);
}

/**
 * Queues the fallback and says so for the `undelivered` event; says why not when there is none;
 * 'again' when the template could not be read right now (the look-up is repeated later).
 */
async function fallBack(context: CheckContext, envelope: Envelope, signal: AbortSignal): Promise<string> {
  if (envelope.from === undefined) {
    context.metrics.alimtalkFallbacks.inc({ lane: context.lane, outcome: 'none' });
    return 'no fallback: the client has no sender number registered';
  }
  let fallback: Envelope;
  try {
    const content = await context.metadataPool.run(
      () => context.metadata.fallbackFor(envelope, context.now()),
      signal,
    );
    fallback = fallbackEnvelope(envelope, content);
  } catch (error) {
    if (!isHeraldError(error) || error.retryable) return 'again';
    context.metrics.alimtalkFallbacks.inc({ lane: context.lane, outcome: 'none' });
    return `no fallback: ${error.message}`;
  }
  await queueFallback(context, fallback);
  context.metrics.alimtalkFallbacks.inc({ lane: context.lane, outcome: fallback.channel });
  return `fallback ${fallback.channel} ${fallback.messageId}`;
}

function count(context: CheckContext, check: DeliveryCheckState, outcome: string, envelope: Envelope): void {
  context.metrics.deliveryChecks.inc({ lane: context.lane, vendor: check.vendor, outcome });
  if (outcome === 'delivered' || outcome === 'undelivered') {
    const labels = { lane: context.lane, channel: envelope.channel, vendor: check.vendor };
    context.metrics.outcomes.inc({ ...labels, status: outcome });
  }
}
