import type { Envelope } from '../../../src/core/domain/message.ts';
import type { RemoteConfigDocument } from '../../../src/core/domain/remote-config.ts';
import { LaneWorker } from '../../../src/core/pipeline/lane-worker.ts';
import { VendorRouter } from '../../../src/core/routing/vendor-router.ts';
import { silentLogger } from '../../../src/observability/logger.ts';
import { HeraldMetrics } from '../../../src/observability/metrics.ts';
import type { DedupStore } from '../../../src/ports/dedup-store.ts';
import type { MessageEvent } from '../../../src/ports/history-store.ts';
import type { Transport } from '../../../src/ports/transport.ts';
import type { Vendor } from '../../../src/ports/vendor.ts';

/** A batch-lane SMS envelope, `m-<i>` with key `key-<i>` unless the test says otherwise. */
export function smsEnvelope(i: number, overrides: Partial<Envelope> = {}): Envelope {
  return {
    messageId: `m-${i}`,
    requestId: 'r',
    clientId: 'c',
    key: `key-${i}`,
    channel: 'sms',
    lane: 'batch',
    to: '01012345678',
    content: { body: `hello ${i}` },
    attempt: 1,
    expiresAt: Date.now() + 600_000,
    createdAt: Date.now(),
    ...overrides,
  };
}

/**
 * A batch-lane worker on a real transport and dedup store, with its vendor and history as narrow
 * literals: every history event lands in `events`, the one vendor is the only route.
 */
export function batchLaneWorker(parts: {
  readonly transport: Pick<Transport, 'consumer' | 'produce'>;
  readonly dedup: DedupStore;
  readonly vendor: Vendor;
  readonly config: RemoteConfigDocument;
  readonly events: MessageEvent[];
  readonly metrics?: HeraldMetrics;
}): LaneWorker {
  return new LaneWorker({
    lane: 'batch',
    transport: parts.transport,
    dedup: parts.dedup,
    history: {
      appendEvents: async (batch) => void parts.events.push(...batch),
      recordExpanded: async () => {},
    },
    recipientHashSecret: 'test-secret',
    templates: { get: async () => undefined },
    router: new VendorRouter({ vendors: [parts.vendor], config: () => parts.config }),
    config: () => parts.config,
    metrics: parts.metrics ?? new HeraldMetrics(),
    logger: silentLogger(),
  });
}
