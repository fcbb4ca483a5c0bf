import type { Logger } from '../../observability/logger.ts';
import type { HeraldMetrics } from '../../observability/metrics.ts';
import type { OutgoingRecord, TransportRecord } from '../../ports/transport.ts';
import type { DeliveryCheck, ReceiptLookup, ReceiptQuery, VendorCall } from '../../ports/vendor.ts';
import type { VendorRate } from '../../ports/vendor-rate.ts';
import type { Channel } from '../domain/channel.ts';
import type { DeliveryReceipt } from '../domain/delivery-receipt.ts';
import { HeraldError, isHeraldError } from '../domain/errors.ts';
import type { Lane } from '../domain/lane.ts';
import type { DeliveryCheckState, Envelope } from '../domain/message.ts';
import { receiptRecord } from '../receipts/receipt-codec.ts';
import type { VendorRouter } from '../routing/vendor-router.ts';
import { checkRecord, doublingDelay } from './check-records.ts';
import type { ConcurrencyLimit } from './concurrency-limit.ts';
import type { LiveRecord } from './defer-night-ads.ts';
import type { OutcomeSinks } from './outcome-sinks.ts';

/** The text and voice channels whose vendors report delivery by receipts (webhook or look-up). */
export const RECEIPT_CHANNELS: ReadonlySet<Channel> = new Set(['sms', 'lms', 'mms', 'vms']);
/** First look-up 2 s after `sent` (carriers answer within seconds), then doubling up to 5 min. */
export const RECEIPT_FIRST_DELAY_MS = 2_000;
export const RECEIPT_MAX_DELAY_MS = 300_000;
/**
 * A vendor that cannot be asked (down, 429, gone from the config) at the delivery deadline is asked
 * again for this much longer before herald records the timeout: its answer may still be there.
 */
export const RECEIPT_ERROR_GRACE_MS = 3_600_000;

export function receiptCheckDelay(round: number): number {
  return doublingDelay(round, RECEIPT_FIRST_DELAY_MS, RECEIPT_MAX_DELAY_MS);
}

/**
 * The first receipt look-up of a text message its vendor just accepted: a check record on the lane's
 * retry topic, as for AlimTalk (the retry worker holds or parks it and brings it back to the lane),
 * until the vendor's delivery timeout for the channel has passed since `sent`.
 */
export function firstReceiptCheck(
  receipts: Pick<ReceiptLookup, 'deliveryTimeoutMs'>,
  envelope: Envelope,
  sent: { readonly vendor: string; readonly vendorMessageId: string },
  now: number,
): OutgoingRecord {
  const deadline = now + receipts.deliveryTimeoutMs(envelope.channel);
  const state: DeliveryCheckState = { ...sent, round: 1, sentAt: now, deadline };
  return checkRecord(envelope, state, Math.min(now + receiptCheckDelay(1), deadline));
}

export interface ReceiptLookupContext {
  readonly lane: Lane;
  readonly router: Pick<VendorRouter, 'vendor'>;
  readonly sendPool: ConcurrencyLimit;
  /**
   * Paces look-ups to each vendor's `callsPerSecond` (buckets `lookup:<vendor>`, one token per HTTP
   * request a look-up makes); absent: unpaced (tests of other things).
   */
  readonly receiptPacer?: Pick<VendorRate, 'acquire'>;
  readonly sinks: Pick<OutcomeSinks, 'produce'>;
  readonly metrics: Pick<HeraldMetrics, 'deliveryChecks'>;
  readonly logger: Logger;
  readonly now: () => number;
}

/**
 * The lane's answer to receipt check records: grouped by vendor, up to the vendor's `maxIdsPerCall`
 * ids a look-up, each HTTP request of it paced to its `callsPerSecond` and timed out on its own. A final answer becomes a DeliveryReceipt
 * (source `lookup`) on the receipts topic, where the receipts worker matches it like a webhook's;
 * pending or unanswerable: looked up again with a doubled wait; past the vendor's delivery timeout,
 * a `timeout` receipt. A record is finished once what replaces it is durably produced; one cut off
 * by shutdown is left unfinished (redelivered after a restart).
 */
export async function lookUpReceipts(
  context: ReceiptLookupContext,
  items: readonly LiveRecord[],
  finish: (record: TransportRecord) => void,
  signal: AbortSignal,
): Promise<void> {
  // Grouped in one pass: copying each group on every add was quadratic in a batch of 1,000 checks.
  const byVendor = Map.groupBy(items, (item) => item.envelope.deliveryCheck!.vendor);
  const calls: Promise<void>[] = [];
  for (const [vendor, group] of byVendor) {
    // By send time, so each chunk holds messages sent close together: a vendor that searches by
    // date (NHN) then reads one tight window a chunk rather than one as wide as the whole batch.
    group.sort((a, b) => a.envelope.deliveryCheck!.sentAt - b.envelope.deliveryCheck!.sentAt);
    const size = Math.max(1, context.router.vendor(vendor)?.vendor.receipts?.maxIdsPerCall ?? group.length);
    for (let i = 0; i < group.length; i += size) {
      calls.push(lookUpChunk(context, vendor, group.slice(i, i + size), finish, signal));
    }
  }
  await Promise.all(calls);
}

async function lookUpChunk(
  context: ReceiptLookupContext,
  vendor: string,
  chunk: readonly LiveRecord[],
  finish: (record: TransportRecord) => void,
  signal: AbortSignal,
): Promise<void> {
  const queries = chunk.map(({ envelope }) => {
    const { vendorMessageId, sentAt } = envelope.deliveryCheck!;
    return { vendorMessageId, sentAt, lane: envelope.lane };
  });
  const answers = await ask(context, vendor, queries, signal);
  if (answers === 'abandoned') return;
  if (answers instanceof HeraldError) {
    context.logger.warn(
      { err: answers, vendor, ids: queries.length },
      'receipt look-up failed; asking again later',
    );
  }
  const now = context.now();
  const records = chunk.map(({ envelope }) => {
    const check = envelope.deliveryCheck!;
    const answer = answers instanceof HeraldError ? undefined : answers.get(check.vendorMessageId);
    const outcome = after(answer, answers instanceof HeraldError, check, now);
    context.metrics.deliveryChecks.inc({ lane: context.lane, vendor, outcome });
    if (answer && answer.state !== 'pending') {
      return receiptRecord({
        receipt: fromAnswer(check, answer, now),
        sentAt: check.sentAt,
        matchAttempt: 0,
      });
    }
    if (outcome === 'gave-up') {
      return receiptRecord({ receipt: timedOut(check, now), sentAt: check.sentAt, matchAttempt: 0 });
    }
    return again(envelope, now, answers instanceof HeraldError ? answers : undefined);
  });
  await context.sinks.produce.write(records);
  for (const { record } of chunk) finish(record);
}

type Outcome = 'delivered' | 'undelivered' | 'pending' | 'error' | 'gave-up';

function after(
  answer: DeliveryCheck | undefined,
  failed: boolean,
  check: DeliveryCheckState,
  now: number,
): Outcome {
  if (answer && answer.state !== 'pending') return answer.state;
  const deadline = failed ? check.deadline + RECEIPT_ERROR_GRACE_MS : check.deadline;
  if (now >= deadline) return 'gave-up';
  return failed ? 'error' : 'pending';
}

/** The next look-up: a doubled wait (at least what a 429 asked for), never past the deadline plus grace. */
function again(envelope: Envelope, now: number, failure: HeraldError | undefined): OutgoingRecord {
  const check = envelope.deliveryCheck!;
  const next = { ...check, round: check.round + 1 };
  const waitMs = Math.max(receiptCheckDelay(next.round), failure?.retryAfterMs ?? 0);
  const latest = failure ? check.deadline + RECEIPT_ERROR_GRACE_MS : check.deadline;
  const notBefore = Math.max(now + 1_000, Math.min(now + waitMs, latest));
  return checkRecord(envelope, next, notBefore);
}

/**
 * One look-up: each HTTP request it makes waits for the pacer, then runs in the send pool within
 * the vendor's time limit. Per request, not per look-up: a look-up of many requests (SENS' list and
 * results, NHN's pages) would otherwise run them all under one time limit and one pacer token.
 */
async function ask(
  context: ReceiptLookupContext,
  vendor: string,
  queries: readonly ReceiptQuery[],
  signal: AbortSignal,
): Promise<Map<string, DeliveryCheck> | HeraldError | 'abandoned'> {
  try {
    const found = context.router.vendor(vendor);
    const receipts = found?.vendor.receipts;
    if (!found || !receipts) {
      throw new HeraldError('HERALD_NO_VENDOR', `vendor ${vendor} has no receipt look-up here`, {
        retryable: true,
      });
    }
    const call: VendorCall = async (request) => {
      await context.receiptPacer?.acquire(`lookup:${vendor}`, 1, receipts.callsPerSecond, signal);
      return await context.sendPool.run(
        () => request(AbortSignal.any([signal, AbortSignal.timeout(found.settings.timeoutMs)])),
        signal,
      );
    };
    return await receipts.lookUp(queries, call);
  } catch (error) {
    if (signal.aborted) return 'abandoned';
    return isHeraldError(error)
      ? error
      : new HeraldError('HERALD_VENDOR_UNAVAILABLE', String(error), { retryable: true, cause: error });
  }
}

function fromAnswer(
  check: DeliveryCheckState,
  answer: Exclude<DeliveryCheck, { state: 'pending' }>,
  now: number,
): DeliveryReceipt {
  return {
    vendor: check.vendor,
    vendorMessageId: check.vendorMessageId,
    state: answer.state,
    at: answer.at,
    code: answer.code,
    message: answer.state === 'undelivered' ? answer.message : '',
    carrier: answer.carrier ?? 'unknown',
    source: 'lookup',
    receivedAt: now,
  };
}

function timedOut(check: DeliveryCheckState, now: number): DeliveryReceipt {
  return {
    vendor: check.vendor,
    vendorMessageId: check.vendorMessageId,
    state: 'undelivered',
    at: now,
    code: '',
    message: `no delivery result from ${check.vendor} by its delivery timeout`,
    carrier: 'unknown',
    source: 'timeout',
    receivedAt: now,
  };
}
