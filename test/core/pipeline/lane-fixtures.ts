import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'node:test';
import { SqliteDedupStore } from '../../../src/adapters/sqlite/sqlite-dedup-store.ts';
import { SqliteTransport } from '../../../src/adapters/sqlite/sqlite-transport.ts';
import { LocalVendorRate } from '../../../src/adapters/vendor-rate/local-vendor-rate.ts';
import type { Envelope } from '../../../src/core/domain/message.ts';
import type { RemoteConfigDocument } from '../../../src/core/domain/remote-config.ts';
import { createUnsubscribeLinks } from '../../../src/core/identity/unsubscribe-token.ts';
import { LaneWorker } from '../../../src/core/pipeline/lane-worker.ts';
import { allTopics } from '../../../src/core/pipeline/topics.ts';
import { VendorRouter } from '../../../src/core/routing/vendor-router.ts';
import { silentLogger } from '../../../src/observability/logger.ts';
import { HeraldMetrics } from '../../../src/observability/metrics.ts';
import type { DedupStore } from '../../../src/ports/dedup-store.ts';
import type { MessageEvent } from '../../../src/ports/history-store.ts';
import type { Transport } from '../../../src/ports/transport.ts';
import type { Vendor } from '../../../src/ports/vendor.ts';
import type { VendorRate } from '../../../src/ports/vendor-rate.ts';

/** What the test lane workers sign ad e-mail's unsubscribe links with. */
export const TEST_UNSUBSCRIBE_LINKS = createUnsubscribeLinks({
  secret: 'test-unsubscribe-secret-0123456789abcdef',
  recipientHashSecret: 'test-secret',
  baseUrl: () => 'http://herald.test',
});

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
  readonly vendorRate?: VendorRate;
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
    unsubscribe: TEST_UNSUBSCRIBE_LINKS,
    templates: { get: async () => undefined },
    router: new VendorRouter({ vendors: [parts.vendor], config: () => parts.config }),
    config: () => parts.config,
    metrics: parts.metrics ?? new HeraldMetrics(),
    logger: silentLogger(),
    ...(parts.vendorRate && { vendorRate: parts.vendorRate }),
    receiptPacer: new LocalVendorRate(),
  });
}

/** What a lane test runs on: the embedded transport and dedup store, the history it saw, its workers. */
export interface EmbeddedLane {
  transport: SqliteTransport;
  dedup: SqliteDedupStore;
  events: MessageEvent[];
  /** Workers the test started: stopped after it. */
  workers: LaneWorker[];
}

/**
 * Fresh embedded stores for every test of the calling describe (beforeEach), with `partitions` per
 * topic, and everything stopped, closed and removed after it (afterEach).
 */
export function useEmbeddedLane(partitions: number): EmbeddedLane {
  const lane = {} as EmbeddedLane;
  let dir = '';
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'herald-lane-'));
    lane.transport = new SqliteTransport({ path: join(dir, 'transport.db') });
    lane.dedup = new SqliteDedupStore({ path: join(dir, 'dedup.db') });
    await lane.transport.ensureTopics(allTopics().map((name) => ({ name, partitions })));
    lane.events = [];
    lane.workers = [];
  });
  afterEach(async () => {
    await Promise.all(lane.workers.map((worker) => worker.stop()));
    await lane.transport.close();
    await lane.dedup.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return lane;
}
