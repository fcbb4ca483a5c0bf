import type { HeraldMetrics } from '../../observability/metrics.ts';
import type { TransportRecord } from '../../ports/transport.ts';
import type { LiveRecord } from './defer-night-ads.ts';
import { type CheckContext, checkDeliveries } from './delivery-checks.ts';
import { decodeEnvelope } from './envelope-codec.ts';
import { sendRecord } from './release-due.ts';

/**
 * How much of a lane's checks topic its checks consumer takes at once. Large batches let one
 * receipt look-up carry up to the vendor's `maxIdsPerCall` ids; the in-flight bound lets a vendor
 * paced to a few calls a second fall behind by minutes of look-ups without the consumer stopping
 * for the other vendors' (records are small: an envelope each).
 */
export const CHECK_LIMITS = { batchSize: 1_000, maxInFlight: 10_000 } as const;

export interface ChecksContext extends CheckContext {
  readonly metrics: CheckContext['metrics'] & Pick<HeraldMetrics, 'poisonRecords'>;
}

/**
 * One polled batch of a lane's checks topic: every delivery check asks its vendor (delivery-checks.ts
 * and receipt-lookups.ts). A record that is not an envelope is counted and skipped; a message that
 * is not a check (it cannot be one a release put here, but a topic takes what it is given) goes back
 * to its send topic rather than be dropped.
 */
export async function processChecks(
  context: ChecksContext,
  records: readonly TransportRecord[],
  finish: (record: TransportRecord) => void,
  signal: AbortSignal,
): Promise<void> {
  const checks: LiveRecord[] = [];
  const strays: LiveRecord[] = [];
  for (const record of records) {
    const envelope = decodeEnvelope(record.value);
    if (!envelope) {
      context.metrics.poisonRecords.inc({ topic: record.topic });
      context.logger.warn(
        { topic: record.topic, offset: record.offset },
        'skipping a record that is not an envelope',
      );
      finish(record);
    } else if (envelope.deliveryCheck) {
      checks.push({ record, envelope });
    } else {
      strays.push({ record, envelope });
    }
  }
  await Promise.all([
    checks.length > 0 ? checkDeliveries(context, checks, finish, signal) : undefined,
    strays.length > 0
      ? context.sinks.produce.write(strays.map(({ envelope }) => sendRecord(envelope))).then(() => {
          for (const { record } of strays) finish(record);
        })
      : undefined,
  ]);
}
