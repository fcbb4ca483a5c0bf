import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Envelope } from '../../../src/core/domain/message.ts';
import { encodeEnvelope } from '../../../src/core/pipeline/envelope-codec.ts';
import { releaseClaimed } from '../../../src/core/pipeline/release-due.ts';
import { checksTopic } from '../../../src/core/pipeline/topics.ts';
import { HeraldMetrics } from '../../../src/observability/metrics.ts';
import type { MessageEvent } from '../../../src/ports/history-store.ts';
import type { ClaimedRecord } from '../../../src/ports/schedule-store.ts';
import type { OutgoingRecord } from '../../../src/ports/transport.ts';

const NOW = Date.UTC(2026, 11, 1, 3, 0, 0);

function envelope(id: string, overrides: Partial<Envelope> = {}): Envelope {
  return {
    messageId: id,
    requestId: 'r',
    clientId: 'shop',
    key: `key-${id}`,
    channel: 'alimtalk',
    lane: 'realtime',
    to: '01012345678',
    template: { code: 'T', vars: {} },
    attempt: 1,
    expiresAt: NOW - 1,
    createdAt: NOW - 60_000,
    notBefore: NOW - 10,
    ...overrides,
  };
}

describe('parked delivery checks (release-due.ts)', () => {
  it('brings a check back to the lane (its checks topic) past the expiry, where a retry ends expired', async () => {
    const produced: OutgoingRecord[] = [];
    const events: MessageEvent[] = [];
    const check = envelope('checked', {
      deliveryCheck: {
        vendor: 'nhn-alimtalk',
        vendorMessageId: 'req:1',
        round: 3,
        sentAt: NOW - 50_000,
        deadline: NOW - 1,
      },
    });
    const claimed = [check, envelope('retried')].map(
      (e, i): ClaimedRecord => ({
        queue: 'q',
        id: String(i),
        dueAt: NOW,
        value: encodeEnvelope(e),
        claim: 'c',
      }),
    );
    await releaseClaimed(
      {
        lane: 'realtime',
        now: () => NOW,
        transport: { produce: async (records) => void produced.push(...records) },
        history: { write: async (batch) => void events.push(...batch) },
        schedule: { remove: async () => {} },
        metrics: new HeraldMetrics(),
        optOuts: { findOptOuts: async () => new Set() },
        recipientHashSecret: 'secret',
      },
      'retry',
      claimed,
    );
    assert.deepEqual(
      produced.map((r) => r.topic),
      [checksTopic('realtime')],
    );
    assert.equal(JSON.parse(produced[0]!.value).deliveryCheck.round, 3);
    assert.deepEqual(
      events.map((e) => [e.messageId, e.status]),
      [['retried', 'expired']],
    );
  });
});
