import { DEFAULT_REMOTE_CONFIG } from '../../src/config/default-remote-config.ts';
import type { Envelope } from '../../src/core/domain/message.ts';
import { DEV_RECIPIENT_HASH_SECRET } from '../../src/core/identity/recipient-privacy.ts';
import { retryRecord } from '../../src/core/pipeline/retry-plan.ts';
import { RetryWorker, type RetryWorkerDeps } from '../../src/core/pipeline/retry-worker.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { HeraldMetrics } from '../../src/observability/metrics.ts';
import type { OutgoingRecord } from '../../src/ports/transport.ts';

/** Epoch ms of a KST wall-clock time in January 2026 (UTC+9, no daylight saving). */
export const kst = (day: number, hour: number, minute = 0): number =>
  Date.UTC(2026, 0, day, hour - 9, minute);
export const AT_23_KST = kst(15, 23);
export const AT_8_KST = kst(16, 8);

/** The `i`th ad of a campaign accepted at 23:00 KST, to its own number, expiring at noon. */
export function campaignAd(i: number, overrides: Partial<Envelope> = {}): Envelope {
  return {
    messageId: `ad-${i}`,
    requestId: 'campaign',
    clientId: 'c',
    key: `key-ad-${i}`,
    channel: 'lms',
    lane: 'ad',
    to: `010${String(20_000_000 + i)}`,
    content: { body: '(광고) 헤럴드마트 아침 특가\n무료수신거부 080-888-0327' },
    attempt: 1,
    expiresAt: kst(16, 12),
    createdAt: AT_23_KST,
    ...overrides,
  };
}

/** Retry-topic records of `count` campaign ads the night rule deferred to 08:00 KST. */
export function deferredAdRecords(count: number): OutgoingRecord[] {
  return Array.from({ length: count }, (_, i) =>
    retryRecord(campaignAd(i), { notBefore: AT_8_KST, attempt: 1, deferredForNight: true }),
  );
}

type Required = Pick<RetryWorkerDeps, 'transport' | 'schedule' | 'optOuts'>;

/** The ad lane's retry worker with test defaults (history dropped, dev hash secret, quick releaser). */
export function adRetryWorker(deps: Required & Partial<RetryWorkerDeps>): RetryWorker {
  return new RetryWorker({
    lane: 'ad',
    history: { appendEvents: async () => {} },
    recipientHashSecret: DEV_RECIPIENT_HASH_SECRET,
    config: () => DEFAULT_REMOTE_CONFIG,
    metrics: new HeraldMetrics(),
    logger: silentLogger(),
    releaseIdleMs: 20,
    ...deps,
  });
}
