import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SpoolingHistoryStore } from '../../../src/adapters/spool/spooling-history-store.ts';
import { SqliteHistoryStore } from '../../../src/adapters/sqlite/sqlite-history-store.ts';
import { HeraldError } from '../../../src/core/domain/errors.ts';
import { silentLogger } from '../../../src/observability/logger.ts';
import type { AcceptedRequest, HistoryStore } from '../../../src/ports/history-store.ts';

/** A real history store behind a switch that makes it answer as an unreachable database would. */
function switchable(inner: HistoryStore) {
  const state = { down: false, refuseEvents: false };
  const guard = <T>(work: () => Promise<T>) =>
    state.down
      ? Promise.reject(new HeraldError('HERALD_UNAVAILABLE', 'connection refused', { retryable: true }))
      : work();
  // The database answers but refuses the data for good (a PostgreSQL data error).
  const refusing = <T>(work: () => Promise<T>) =>
    state.refuseEvents
      ? Promise.reject(new HeraldError('HERALD_UNAVAILABLE', 'invalid input syntax'))
      : work();
  const store: HistoryStore = {
    recordAccepted: (r) => guard(() => inner.recordAccepted(r)),
    appendEvents: (e) => guard(() => refusing(() => inner.appendEvents(e))),
    recordExpanded: (x) => guard(() => inner.recordExpanded(x)),
    findByKeys: (c, k, s) => guard(() => inner.findByKeys(c, k, s)),
    findByVendorMessageIds: (v, i) => guard(() => inner.findByVendorMessageIds(v, i)),
    getRequest: (c, r) => guard(() => inner.getRequest(c, r)),
    getMessage: (c, m) => guard(() => inner.getMessage(c, m)),
    healthy: async () => !state.down,
    close: () => inner.close(),
  };
  return { store, state };
}

function request(id: string): AcceptedRequest {
  return {
    requestId: id,
    clientId: 'c',
    lane: 'batch',
    channel: 'sms',
    acceptedAt: 1_000,
    messages: [0, 1].map((index) => ({
      messageId: `${id}-m${index}`,
      index,
      key: `${id}-k${index}`,
      channel: 'sms' as const,
      recipientMasked: '010****0000',
      recipientHash: 'h',
    })),
    duplicates: [],
  };
}

describe('SpoolingHistoryStore', () => {
  let dir: string;
  let sqlite: SqliteHistoryStore;
  let spooling: SpoolingHistoryStore;
  let db: ReturnType<typeof switchable>;

  const open = (maxItems = 1_000) =>
    new SpoolingHistoryStore({
      inner: db.store,
      path: join(dir, 'spool.db'),
      maxItems,
      logger: silentLogger(),
      drainIntervalMs: 60_000,
    });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'herald-spool-'));
    sqlite = new SqliteHistoryStore({ path: join(dir, 'history.db') });
    db = switchable(sqlite);
    spooling = open();
  });

  afterEach(async () => {
    db.state.down = false;
    await spooling.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes writes while the store is down and replays them in order when it returns', async () => {
    db.state.down = true;
    await spooling.recordAccepted(request('r1'));
    await spooling.appendEvents([
      { messageId: 'r1-m0', status: 'sending', at: 2_000, vendor: 'v' },
      { messageId: 'r1-m0', status: 'sent', at: 3_000, vendor: 'v' },
    ]);
    assert.equal(spooling.spooled, 5);
    assert.equal(await spooling.healthy(), true, 'healthy while the spool has room');
    await assert.rejects(spooling.getRequest('c', 'r1'), /connection refused/);

    db.state.down = false;
    await spooling.drain();
    assert.equal(spooling.spooled, 0);
    const message = await spooling.getMessage('c', 'r1-m0');
    assert.equal(message?.status, 'sent');
    assert.deepEqual(
      message?.events.map((e) => e.status),
      ['accepted', 'sending', 'sent'],
    );
  });

  it('keeps spooling after the store returns until the spool is empty, so order holds', async () => {
    db.state.down = true;
    await spooling.recordAccepted(request('r2'));
    db.state.down = false;
    await spooling.appendEvents([{ messageId: 'r2-m1', status: 'sent', at: 3_000 }]);
    assert.equal(spooling.spooled, 4, 'the later write waited behind the spooled one');
    await spooling.drain();
    assert.equal((await spooling.getMessage('c', 'r2-m1'))?.status, 'sent');
  });

  it('survives a restart of the process: spooled writes are on disk', async () => {
    db.state.down = true;
    await spooling.recordAccepted(request('r3'));
    await spooling.close();
    sqlite = new SqliteHistoryStore({ path: join(dir, 'history.db') });
    db = switchable(sqlite);
    spooling = open();
    assert.equal(spooling.spooled, 3);
    await spooling.drain();
    assert.equal((await spooling.getRequest('c', 'r3'))?.messages.length, 2);
  });

  it('refuses writes with HERALD_UNAVAILABLE once the spool is full', async () => {
    await spooling.close();
    sqlite = new SqliteHistoryStore({ path: join(dir, 'history.db') });
    db = switchable(sqlite);
    spooling = open(3);
    db.state.down = true;
    await spooling.recordAccepted(request('r4'));
    await assert.rejects(spooling.appendEvents([{ messageId: 'r4-m0', status: 'sent', at: 1 }]), (error) => {
      return error instanceof HeraldError && error.code === 'HERALD_UNAVAILABLE';
    });
  });

  it('spools the device messages of a push to a user, in order behind their request', async () => {
    db.state.down = true;
    await spooling.recordAccepted({ ...request('r6'), channel: 'push' });
    const child = { key: 'k', recipientMasked: 'dGhpcy****', recipientHash: 'th' };
    await spooling.recordExpanded([
      {
        parentMessageId: 'r6-m0',
        requestId: 'r6',
        clientId: 'c',
        lane: 'batch',
        createdAt: 1_000,
        at: 2_000,
        children: [
          { ...child, messageId: 'r6-m0-d1' },
          { ...child, messageId: 'r6-m0-d2' },
        ],
      },
    ]);
    assert.equal(spooling.spooled, 5, 'a request of 2 (3 items) and 2 device messages');
    db.state.down = false;
    await spooling.drain();
    const parent = await spooling.getMessage('c', 'r6-m0');
    assert.deepEqual(
      parent?.devices?.map((d) => d.messageId),
      ['r6-m0-d1', 'r6-m0-d2'],
    );
  });

  it('parks a write the store refuses for good, so the writes behind it still land', async () => {
    db.state.down = true;
    await spooling.appendEvents([{ messageId: 'nope', status: 'sent', at: 1 }]);
    await spooling.recordAccepted(request('r5'));
    db.state.down = false;
    db.state.refuseEvents = true;
    await spooling.drain();
    assert.equal(spooling.spooled, 0);
    assert.equal((await spooling.getRequest('c', 'r5'))?.messages.length, 2);
  });
});
