import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SqliteTransport } from '../../../src/adapters/sqlite/sqlite-transport.ts';
import { DEFAULT_REMOTE_CONFIG } from '../../../src/config/default-remote-config.ts';
import type { Envelope } from '../../../src/core/domain/message.ts';
import { decodeEnvelope } from '../../../src/core/pipeline/envelope-codec.ts';
import { retryRecord } from '../../../src/core/pipeline/retry-plan.ts';
import { RetryWorker } from '../../../src/core/pipeline/retry-worker.ts';
import { allTopics, sendTopic } from '../../../src/core/pipeline/topics.ts';
import { silentLogger } from '../../../src/observability/logger.ts';
import { HeraldMetrics } from '../../../src/observability/metrics.ts';
import type { MessageEvent } from '../../../src/ports/history-store.ts';

describe('RetryWorker', () => {
  let dir: string;
  let transport: SqliteTransport;
  let events: MessageEvent[];
  let worker: RetryWorker;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'herald-retry-'));
    transport = new SqliteTransport({ path: join(dir, 'transport.db') });
    await transport.ensureTopics(allTopics().map((name) => ({ name, partitions: 2 })));
    events = [];
    worker = new RetryWorker({
      lane: 'ad',
      transport,
      history: { appendEvents: async (batch) => void events.push(...batch) },
      config: () => DEFAULT_REMOTE_CONFIG,
      metrics: new HeraldMetrics(),
      logger: silentLogger(),
    });
    await worker.start();
  });

  afterEach(async () => {
    await worker.stop();
    await transport.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function envelope(overrides: Partial<Envelope> = {}): Envelope {
    const now = Date.now();
    return {
      messageId: 'm-1',
      requestId: 'r',
      clientId: 'c',
      key: 'k-1',
      channel: 'lms',
      lane: 'ad',
      to: '01012345678',
      content: { body: 'x' },
      attempt: 2,
      expiresAt: now + 60_000,
      createdAt: now,
      ...overrides,
    };
  }

  it('puts a message back on its lane send topic when its next-attempt time comes, not before', async () => {
    const notBefore = Date.now() + 400;
    await transport.produce([retryRecord(envelope(), { notBefore, attempt: 2 })]);
    const reader = await transport.consumer({ group: 'probe', topics: [sendTopic('ad', 'lms')] });
    const records = await reader.poll(10, 5_000);
    const arrivedAt = Date.now();
    await reader.close();
    assert.equal(records.length, 1);
    assert.ok(arrivedAt >= notBefore, 'not re-dispatched early');
    const back = decodeEnvelope(records[0]!.value)!;
    assert.equal(back.attempt, 2);
    assert.equal(back.messageId, 'm-1');
    assert.equal(back.notBefore, undefined);
  });

  it('ends a message as expired when its expiry comes before its next attempt', async () => {
    const now = Date.now();
    await transport.produce([
      retryRecord(envelope({ expiresAt: now + 100 }), { notBefore: now + 60_000, attempt: 3 }),
    ]);
    const deadline = Date.now() + 15_000;
    while (!events.some((e) => e.status === 'expired') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const expired = events.find((e) => e.status === 'expired');
    assert.equal(expired?.messageId, 'm-1');
    assert.equal(expired?.errorCode, 'HERALD_EXPIRED');
  });
});
