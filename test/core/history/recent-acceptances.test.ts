import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SqliteHistoryStore } from '../../../src/adapters/sqlite/sqlite-history-store.ts';
import { SqliteIdempotencyStore } from '../../../src/adapters/sqlite/sqlite-idempotency-store.ts';
import {
  DEFAULT_RECENT_ACCEPTANCES_TTL_MS,
  RecentAcceptances,
} from '../../../src/core/history/recent-acceptances.ts';
import type { IdempotencyStore, RememberedEntry } from '../../../src/ports/idempotency-store.ts';
import { acceptedRequest } from './accepted-request-fixture.ts';

describe('RecentAcceptances', () => {
  let history: SqliteHistoryStore;
  let store: SqliteIdempotencyStore;
  let recent: RecentAcceptances;

  beforeEach(() => {
    history = new SqliteHistoryStore({ path: ':memory:' });
    store = new SqliteIdempotencyStore({ path: ':memory:' });
    recent = new RecentAcceptances(store);
  });
  afterEach(async () => {
    await history.close();
    await store.close();
  });

  it("remembers the request exactly as the history store's getRequest shows it right after recordAccepted", async () => {
    const request = acceptedRequest('client-a');
    await recent.remember(request);
    await history.recordAccepted(request);
    const recorded = await history.getRequest('client-a', request.requestId);
    assert.ok(recorded);
    assert.deepEqual(await recent.request('client-a', request.requestId), recorded);
    assert.deepEqual(
      recorded.messages.map((entry) => entry.index),
      [0, 1, 2, 3, 4],
    );
  });

  it('remembers each new message exactly as getMessage shows it right after recordAccepted', async () => {
    const request = acceptedRequest('client-a');
    await recent.remember(request);
    await history.recordAccepted(request);
    for (const { messageId } of request.messages) {
      const recorded = await history.getMessage('client-a', messageId);
      assert.ok(recorded);
      assert.deepEqual(await recent.message('client-a', messageId), recorded);
    }
  });

  it("a repeat of an earlier request's message is remembered as `duplicate`: its state is not known here", async () => {
    const request = acceptedRequest('client-a', { earlierMessageId: 'earlier-message' });
    await recent.remember(request);
    const view = await recent.request('client-a', request.requestId);
    assert.deepEqual(
      view?.messages.find((entry) => entry.index === 5),
      {
        index: 5,
        messageId: 'earlier-message',
        status: 'duplicate',
        vendor: null,
        attempts: 0,
        error: null,
        duplicate: true,
      },
    );
    assert.equal(await recent.message('client-a', 'earlier-message'), undefined);
  });

  it("another client never reads a client's request or messages, even with a ':' in its id", async () => {
    const request = acceptedRequest('a');
    await recent.remember(request);
    const messageId = request.messages[0]!.messageId;
    assert.equal(await recent.request('b', request.requestId), undefined);
    assert.equal(await recent.message('b', messageId), undefined);
    // Without encoding, client 'a:x' asking for request 'y' and client 'a' asking for 'x:y' share a key.
    const colon = acceptedRequest('a:x');
    await recent.remember(colon);
    assert.equal(await recent.request('a', `x:${colon.requestId}`), undefined);
    assert.ok(await recent.request('a:x', colon.requestId));
  });

  it('stores everything in one call, with the default TTL of 10 minutes or the one given', async () => {
    const calls: { entries: readonly RememberedEntry[]; ttlMs: number }[] = [];
    const counting: Pick<IdempotencyStore, 'remember' | 'recall'> = {
      remember: async (entries, ttlMs) => {
        calls.push({ entries, ttlMs });
      },
      recall: async () => undefined,
    };
    const request = acceptedRequest('client-a');
    await new RecentAcceptances(counting).remember(request);
    await new RecentAcceptances(counting, { ttlMs: 30_000 }).remember(request);
    assert.equal(DEFAULT_RECENT_ACCEPTANCES_TTL_MS, 600_000);
    assert.deepEqual(
      calls.map((call) => call.ttlMs),
      [600_000, 30_000],
    );
    assert.deepEqual(
      calls[0]!.entries.map((entry) => entry.key),
      [
        `req:client-a:${request.requestId}`,
        ...request.messages.map((message) => `msg:client-a:${message.messageId}`),
      ],
    );
  });

  it('a failing store or an unreadable value reads as nothing, reported to onError', async () => {
    const errors: unknown[] = [];
    const failing = new RecentAcceptances(
      {
        remember: async () => {},
        recall: async (key) => {
          if (key === 'req:client-a:r1') throw new Error('store down');
          // m1 points to request r2, whose record is unreadable.
          return key.startsWith('msg:') ? 'r2' : 'not json';
        },
      },
      { onError: (error) => errors.push(error) },
    );
    assert.equal(await failing.request('client-a', 'r1'), undefined);
    assert.equal(await failing.message('client-a', 'm1'), undefined);
    assert.equal(errors.length, 2);
    assert.match(String(errors[0]), /store down/);
    assert.ok(errors[1] instanceof SyntaxError);
  });

  it('remember throws what the store throws (the caller decides what it costs)', async () => {
    await store.close();
    await assert.rejects(recent.remember(acceptedRequest('client-a')), { code: 'HERALD_UNAVAILABLE' });
  });
});
