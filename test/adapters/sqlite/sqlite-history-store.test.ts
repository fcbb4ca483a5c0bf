import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SqliteHistoryStore } from '../../../src/adapters/sqlite/sqlite-history-store.ts';
import type { AcceptedRequest } from '../../../src/ports/history-store.ts';
import { describeHistoryFallbackContract } from '../../contracts/history-fallback.contract.ts';
import { describeHistoryLogContract } from '../../contracts/history-log.contract.ts';
import { describeHistoryStoreContract } from '../../contracts/history-store.contract.ts';
import type { TempDirectory } from './temp-directory.ts';
import { inTempDirectory, tempDirectory } from './temp-directory.ts';

describeHistoryStoreContract(
  'sqlite',
  inTempDirectory('history.db', (path) => new SqliteHistoryStore({ path })),
);

describeHistoryFallbackContract(
  'sqlite',
  inTempDirectory('history.db', (path) => new SqliteHistoryStore({ path })),
);

describeHistoryLogContract(
  'sqlite',
  inTempDirectory('history.db', (path) => new SqliteHistoryStore({ path })),
);

const request: AcceptedRequest = {
  requestId: 'req-1',
  clientId: 'client-1',
  lane: 'batch',
  channel: 'email',
  acceptedAt: 1_750_000_000_000,
  messages: [
    {
      messageId: 'msg-1',
      index: 0,
      key: 'key-1',
      channel: 'email',
      recipientMasked: 'k***@example.com',
      recipientHash: 'hash-1',
    },
  ],
  duplicates: [],
};

describe('sqlite history store (adapter only)', () => {
  let dir: TempDirectory;
  let path: string;

  beforeEach(() => {
    dir = tempDirectory();
    path = dir.file('history.db');
  });
  afterEach(() => dir.remove());

  it('keeps requests, messages and events across close and reopen', async () => {
    const first = new SqliteHistoryStore({ path });
    await first.recordAccepted(request);
    await first.appendEvents([
      { messageId: 'msg-1', status: 'sent', at: request.acceptedAt + 5, vendor: 'sim-email' },
    ]);
    await first.close();

    const reopened = new SqliteHistoryStore({ path });
    try {
      const message = await reopened.getMessage('client-1', 'msg-1');
      assert.equal(message?.status, 'sent');
      assert.deepEqual(
        message.events.map((event) => event.status),
        ['accepted', 'sent'],
      );
      assert.equal((await reopened.getRequest('client-1', 'req-1'))?.messages.length, 1);
    } finally {
      await reopened.close();
    }
  });

  it('rolls back a whole batch of events when one cannot be written', async () => {
    const store = new SqliteHistoryStore({ path });
    try {
      await store.recordAccepted(request);
      const broken = { messageId: 'msg-1', status: 'queued', at: Number.NaN } as const;
      await assert.rejects(
        store.appendEvents([{ messageId: 'msg-1', status: 'sent', at: request.acceptedAt + 1 }, broken]),
        { code: 'HERALD_UNAVAILABLE' },
      );
      const message = await store.getMessage('client-1', 'msg-1');
      assert.equal(message?.status, 'accepted');
      assert.equal(message.events.length, 1);
    } finally {
      await store.close();
    }
  });
});
