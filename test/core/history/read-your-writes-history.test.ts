import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { RedisIdempotencyStore } from '../../../src/adapters/redis/redis-idempotency-store.ts';
import { SqliteHistoryStore } from '../../../src/adapters/sqlite/sqlite-history-store.ts';
import { SqliteIdempotencyStore } from '../../../src/adapters/sqlite/sqlite-idempotency-store.ts';
import { HeraldError } from '../../../src/core/domain/errors.ts';
import { ReadYourWritesHistory } from '../../../src/core/history/read-your-writes-history.ts';
import { RecentAcceptances } from '../../../src/core/history/recent-acceptances.ts';
import type { AcceptedRequest, HistoryStore } from '../../../src/ports/history-store.ts';
import type { IdempotencyStore } from '../../../src/ports/idempotency-store.ts';
import { ENGINE_URLS, engineSkip } from '../../support/engines.ts';
import { acceptedRequest } from './accepted-request-fixture.ts';

const redisSkip = await engineSkip('redis');
const runId = randomUUID().slice(0, 8);
/** Long enough for any test here; short enough not to leave keys in the shared Redis for long. */
const MINUTE_MS = 60_000;

type MemoryEngine = () => IdempotencyStore;

const ENGINES: readonly { name: string; open: MemoryEngine; skip: string | false }[] = [
  { name: 'sqlite', open: () => new SqliteIdempotencyStore({ path: ':memory:' }), skip: false },
  {
    name: 'redis',
    open: () =>
      new RedisIdempotencyStore({
        url: ENGINE_URLS.redis,
        keyPrefix: `hi-test-${runId}:`,
        recentKeyPrefix: `hr-test-${runId}:`,
      }),
    skip: redisSkip,
  },
];

/**
 * History as a projection: the API's recordAccepted reaches the log, not the table (here: does
 * nothing), and `project` is the history writer catching up later.
 */
function laggingHistory(table: SqliteHistoryStore): HistoryStore {
  return {
    recordAccepted: async () => {},
    appendEvents: (events) => table.appendEvents(events),
    recordExpanded: (expansions) => table.recordExpanded(expansions),
    applyLog: (batch) => table.applyLog(batch),
    findByVendorMessageIds: (vendor, ids) => table.findByVendorMessageIds(vendor, ids),
    getRequest: (clientId, requestId) => table.getRequest(clientId, requestId),
    getMessage: (clientId, messageId) => table.getMessage(clientId, messageId),
    healthy: () => table.healthy(),
    close: () => table.close(),
  };
}

/** As the API accepts: the record made durable, then the request remembered. */
async function accept(history: ReadYourWritesHistory, request: AcceptedRequest): Promise<void> {
  await history.recordAccepted(request);
  await history.rememberAccepted(request);
}

for (const engine of ENGINES) {
  describe(`ReadYourWritesHistory on ${engine.name}`, { skip: engine.skip }, () => {
    let table: SqliteHistoryStore;
    let memory: IdempotencyStore;
    let errors: unknown[];
    let history: ReadYourWritesHistory;

    beforeEach(() => {
      table = new SqliteHistoryStore({ path: ':memory:' });
      memory = engine.open();
      errors = [];
      history = new ReadYourWritesHistory({
        inner: laggingHistory(table),
        recent: new RecentAcceptances(memory, { ttlMs: MINUTE_MS }),
        onError: (error) => errors.push(error),
      });
    });
    afterEach(async () => {
      await history.close();
      await memory.close();
    });

    it('answers GETs right after recordAccepted, as history will once the projection has the request', async () => {
      const request = acceptedRequest('client-a');
      await accept(history, request);
      const early = await history.getRequest('client-a', request.requestId);
      const earlyMessages = await Promise.all(
        request.messages.map((message) => history.getMessage('client-a', message.messageId)),
      );
      assert.ok(early);
      assert.ok(earlyMessages.every((view) => view !== undefined));

      await table.recordAccepted(request);
      assert.deepEqual(early, await table.getRequest('client-a', request.requestId));
      assert.deepEqual(
        earlyMessages,
        await Promise.all(request.messages.map((message) => table.getMessage('client-a', message.messageId))),
      );
    });

    it('another client cannot read the request or its messages', async () => {
      const request = acceptedRequest('client-a');
      await accept(history, request);
      assert.equal(await history.getRequest('client-b', request.requestId), undefined);
      assert.equal(await history.getMessage('client-b', request.messages[0]!.messageId), undefined);
    });

    it("once the inner store has the request, the inner's view wins (with the workers' later states)", async () => {
      const request = acceptedRequest('client-a');
      const messageId = request.messages[0]!.messageId;
      await accept(history, request);
      await table.recordAccepted(request);
      await history.appendEvents([
        { messageId, status: 'sent', at: request.acceptedAt + 50, vendor: 'nhn', attempt: 1 },
      ]);
      const message = await history.getMessage('client-a', messageId);
      assert.equal(message?.status, 'sent');
      assert.equal(message?.vendor, 'nhn');
      const view = await history.getRequest('client-a', request.requestId);
      assert.deepEqual(
        view?.messages.filter((entry) => 'messageId' in entry && entry.messageId === messageId),
        [
          { index: 0, messageId, status: 'sent', vendor: 'nhn', attempts: 1, error: null, duplicate: false },
          { index: 2, messageId, status: 'sent', vendor: 'nhn', attempts: 1, error: null, duplicate: true },
        ],
      );
    });

    it("a remembered repeat of an earlier request's message shows that message's state, once known", async () => {
      const earlier = acceptedRequest('client-a');
      const earlierId = earlier.messages[0]!.messageId;
      await table.recordAccepted(earlier);
      await table.appendEvents([
        { messageId: earlierId, status: 'sent', at: earlier.acceptedAt + 1, vendor: 'nhn', attempt: 1 },
      ]);
      const request = acceptedRequest('client-a', { earlierMessageId: earlierId });
      await accept(history, request);
      const repeat = (await history.getRequest('client-a', request.requestId))?.messages.find(
        (entry) => entry.index === 5,
      );
      assert.deepEqual(repeat, {
        index: 5,
        messageId: earlierId,
        status: 'sent',
        vendor: 'nhn',
        attempts: 1,
        error: null,
        duplicate: true,
      });
    });

    it('a failure to remember is reported, not thrown', async () => {
      await memory.close();
      const request = acceptedRequest('client-a');
      await accept(history, request);
      assert.equal(errors.length, 1);
      assert.equal((errors[0] as HeraldError).code, 'HERALD_UNAVAILABLE');
      assert.equal(await history.getRequest('client-a', request.requestId), undefined);
    });

    it('an inner store that cannot answer: a remembered request still answers, anything else gets its error', async () => {
      const down = new HeraldError('HERALD_UNAVAILABLE', 'history is down', { retryable: true });
      const failingReads: HistoryStore = {
        ...laggingHistory(table),
        getRequest: async () => Promise.reject(down),
        getMessage: async () => Promise.reject(down),
      };
      const degraded = new ReadYourWritesHistory({
        inner: failingReads,
        recent: new RecentAcceptances(memory, { ttlMs: MINUTE_MS }),
      });
      const request = acceptedRequest('client-a');
      await accept(degraded, request);
      assert.equal((await degraded.getRequest('client-a', request.requestId))?.requestId, request.requestId);
      assert.equal(
        (await degraded.getMessage('client-a', request.messages[0]!.messageId))?.status,
        'accepted',
      );
      await assert.rejects(degraded.getRequest('client-a', 'unknown'), down);
      await assert.rejects(degraded.getMessage('client-b', request.messages[0]!.messageId), down);
    });

    it('recordAccepted is the inner write alone: its failure is the answer, and it remembers nothing', async () => {
      const down = new HeraldError('HERALD_UNAVAILABLE', 'log is down', { retryable: true });
      const failing = new ReadYourWritesHistory({
        inner: { ...laggingHistory(table), recordAccepted: async () => Promise.reject(down) },
        recent: new RecentAcceptances(memory, { ttlMs: MINUTE_MS }),
      });
      const request = acceptedRequest('client-a');
      await assert.rejects(failing.recordAccepted(request), down);
      assert.equal(await failing.getRequest('client-a', request.requestId), undefined);
    });

    it('delegates everything else to the inner store', async () => {
      const request = acceptedRequest('client-a');
      await table.recordAccepted(request);
      assert.equal(await history.healthy(), true);
      assert.equal((await history.findByVendorMessageIds('nhn', ['none'])).size, 0);
    });
  });
}
