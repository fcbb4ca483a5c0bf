import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type {
  AcceptedRequest,
  HistoryChange,
  HistoryLogBatch,
  HistoryStore,
} from '../../src/ports/history-store.ts';
import type { ContractFactory } from './contract-helpers.ts';
import { uniqueName } from './contract-helpers.ts';

const AT = 1_750_000_000_000;

/**
 * HistoryStore.applyLog, whatever database holds history: the history writer's fold of the
 * history log. A stretch is applied with the position it reaches, so reading it again (a crash
 * before the writer committed its offsets) changes nothing.
 */
export function describeHistoryLogContract(name: string, makeStore: ContractFactory<HistoryStore>): void {
  describe(`${name} history store contract: applying the history log`, () => {
    let store: HistoryStore;
    let cleanup: () => Promise<void>;
    let clientId: string;
    let source: string;

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
      clientId = uniqueName('client');
      source = `${uniqueName('herald.history')}/0`;
    });
    afterEach(async () => cleanup());

    function request(count: number): AcceptedRequest {
      return {
        requestId: uniqueName('req'),
        clientId,
        lane: 'realtime',
        channel: 'sms',
        acceptedAt: AT,
        messages: Array.from({ length: count }, (_, index) => ({
          messageId: uniqueName('msg'),
          index,
          key: uniqueName('key'),
          channel: 'sms' as const,
          recipientMasked: `010-****-${String(1000 + index)}`,
          recipientHash: uniqueName('hash'),
        })),
        duplicates: [],
      };
    }

    /** The log of one request: accepted, then sending and sent for each message, then delivered. */
    function logOf(accepted: AcceptedRequest, from = 0): HistoryLogBatch['changes'] {
      const ids = accepted.messages.map((m) => m.messageId);
      const changes: HistoryChange[] = [
        { kind: 'accepted', request: accepted },
        { kind: 'events', events: ids.map((messageId) => ({ messageId, status: 'queued', at: AT + 1 })) },
        {
          kind: 'events',
          events: ids.map((messageId) => ({
            messageId,
            status: 'sent',
            at: AT + 2,
            vendor: 'sens-sms',
            attempt: 1,
            vendorMessageId: `v-${messageId}`,
          })),
        },
        {
          kind: 'events',
          events: ids.map((messageId) => ({ messageId, status: 'delivered', at: AT + 3, carrier: 'SKT' })),
        },
      ];
      return changes.map((change, i) => ({ offset: from + i, change }));
    }

    async function eventsOf(messageId: string): Promise<string[]> {
      const view = await store.getMessage(clientId, messageId);
      return view?.events.map((event) => event.status) ?? [];
    }

    it('folds a stretch: the request, then its events in log order', async () => {
      const accepted = request(3);
      await store.applyLog({ source, changes: logOf(accepted) });
      const view = await store.getRequest(clientId, accepted.requestId);
      assert.deepEqual(
        view?.messages.map((m) => ('status' in m ? m.status : undefined)),
        ['delivered', 'delivered', 'delivered'],
      );
      const first = await store.getMessage(clientId, accepted.messages[0]!.messageId);
      assert.equal(first?.vendorMessageId, `v-${accepted.messages[0]!.messageId}`);
      assert.equal(first?.carrier, 'SKT');
      assert.deepEqual(await eventsOf(accepted.messages[0]!.messageId), [
        'accepted',
        'queued',
        'sent',
        'delivered',
      ]);
    });

    it('changes nothing when the same stretch is applied again (a redelivery)', async () => {
      const accepted = request(2);
      const changes = logOf(accepted);
      await store.applyLog({ source, changes });
      await store.applyLog({ source, changes });
      assert.deepEqual(await eventsOf(accepted.messages[1]!.messageId), [
        'accepted',
        'queued',
        'sent',
        'delivered',
      ]);
    });

    it('applies only the new part of a stretch that overlaps one applied before', async () => {
      const accepted = request(1);
      const changes = logOf(accepted);
      await store.applyLog({ source, changes: changes.slice(0, 3) });
      assert.equal((await store.getMessage(clientId, accepted.messages[0]!.messageId))?.status, 'sent');
      await store.applyLog({ source, changes: changes.slice(1) });
      assert.deepEqual(await eventsOf(accepted.messages[0]!.messageId), [
        'accepted',
        'queued',
        'sent',
        'delivered',
      ]);
    });

    it('records many requests of one stretch, with their duplicates and refused recipients', async () => {
      const earlier = request(1);
      const later = {
        ...request(2),
        duplicates: [{ index: 2, messageId: earlier.messages[0]!.messageId }],
        rejected: [{ index: 3, error: { code: 'HERALD_RECIPIENT_INVALID', message: 'not a number' } }],
      };
      const third = request(1);
      const changes: HistoryChange[] = [
        { kind: 'accepted', request: earlier },
        { kind: 'accepted', request: later },
        { kind: 'accepted', request: third },
      ];
      await store.applyLog({ source, changes: changes.map((change, offset) => ({ offset, change })) });
      const view = await store.getRequest(clientId, later.requestId);
      assert.deepEqual(
        view?.messages.map((m) => ('messageId' in m ? m.messageId : m.error.code)),
        [
          later.messages[0]!.messageId,
          later.messages[1]!.messageId,
          earlier.messages[0]!.messageId,
          'HERALD_RECIPIENT_INVALID',
        ],
      );
      assert.equal((await store.getRequest(clientId, third.requestId))?.messages.length, 1);
      assert.equal((await store.getRequest(clientId, earlier.requestId))?.messages.length, 1);
    });

    it('keeps the position of each log partition apart', async () => {
      const first = request(1);
      const second = request(1);
      await store.applyLog({ source, changes: logOf(first, 0) });
      // Another partition starts at offset 0 too: its stretch is new, not a repeat.
      await store.applyLog({ source: `${source}-other`, changes: logOf(second, 0) });
      assert.equal((await store.getMessage(clientId, second.messages[0]!.messageId))?.status, 'delivered');
    });

    it('records device messages of a stretch before its events, and their events move them', async () => {
      const parent = { ...request(1), channel: 'push' as const };
      const parentId = parent.messages[0]!.messageId;
      const childId = uniqueName('child');
      const changes: HistoryChange[] = [
        { kind: 'accepted', request: parent },
        { kind: 'events', events: [{ messageId: parentId, status: 'expanded', at: AT + 1 }] },
        {
          kind: 'expanded',
          expansions: [
            {
              parentMessageId: parentId,
              requestId: parent.requestId,
              clientId,
              lane: 'realtime',
              createdAt: AT,
              at: AT + 1,
              children: [
                {
                  messageId: childId,
                  key: uniqueName('key'),
                  recipientMasked: 'dGhp****',
                  recipientHash: 'h',
                },
              ],
            },
          ],
        },
        { kind: 'events', events: [{ messageId: childId, status: 'sent', at: AT + 2, vendor: 'fcm' }] },
      ];
      await store.applyLog({ source, changes: changes.map((change, offset) => ({ offset, change })) });
      const child = await store.getMessage(clientId, childId);
      assert.equal(child?.status, 'sent');
      assert.equal(child?.parentMessageId, parentId);
    });

    // A request's record and its messages are produced together, so a worker's events can reach
    // the log before the record does (history-log-plan.ts).
    it('folds the events that came before their message, once the message is created', async () => {
      const accepted = request(2);
      const log = logOf(accepted);
      const [creation, queued, sent, delivered] = log.map((entry) => entry.change);
      const early = [sent!, delivered!, creation!, queued!].map((change, offset) => ({ offset, change }));
      await store.applyLog({ source, changes: early.slice(0, 2) });
      assert.equal(await store.getMessage(clientId, accepted.messages[0]!.messageId), undefined);
      await store.applyLog({ source, changes: early.slice(2) });
      for (const { messageId } of accepted.messages) {
        const view = await store.getMessage(clientId, messageId);
        assert.equal(view?.status, 'delivered');
        assert.equal(view?.vendor, 'sens-sms');
        assert.equal(view?.vendorMessageId, `v-${messageId}`);
        assert.equal(view?.carrier, 'SKT');
        assert.deepEqual((await eventsOf(messageId)).toSorted(), ['accepted', 'delivered', 'queued', 'sent']);
      }
    });

    it('folds an early event once only: later stretches and a redelivery leave the message as it is', async () => {
      const accepted = request(1);
      const messageId = accepted.messages[0]!.messageId;
      const failed = {
        messageId,
        status: 'failed' as const,
        at: AT + 2,
        errorCode: 'HERALD_VENDOR_REJECTED',
      };
      await store.applyLog({
        source,
        changes: [{ offset: 0, change: { kind: 'events', events: [failed] } }],
      });
      const creation = { offset: 1, change: { kind: 'accepted', request: accepted } as HistoryChange };
      await store.applyLog({ source, changes: [creation] });
      await store.applyLog({ source, changes: [creation] });
      await store.applyLog({ source, changes: logOf(request(1), 2) });
      const view = await store.getMessage(clientId, messageId);
      assert.equal(view?.status, 'failed');
      assert.equal(view?.error?.code, 'HERALD_VENDOR_REJECTED');
      assert.deepEqual((await eventsOf(messageId)).toSorted(), ['accepted', 'failed']);
    });

    it('folds an event appended before its message existed (a receipt) when the message comes', async () => {
      const accepted = request(1);
      const messageId = accepted.messages[0]!.messageId;
      await store.appendEvents([{ messageId, status: 'sent', at: AT + 2, vendor: 'nhn-sms', attempt: 1 }]);
      await store.applyLog({
        source,
        changes: [{ offset: 0, change: { kind: 'accepted', request: accepted } }],
      });
      const view = await store.getMessage(clientId, messageId);
      assert.equal(view?.status, 'sent');
      assert.equal(view?.vendor, 'nhn-sms');
      assert.equal(view?.attempts, 1);
    });
  });
}
