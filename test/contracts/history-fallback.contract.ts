import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type {
  AcceptedRequest,
  HistoryStore,
  MessageEvent,
  RequestMessageView,
  UserPushExpansion,
} from '../../src/ports/history-store.ts';
import type { ContractFactory } from './contract-helpers.ts';
import { uniqueName } from './contract-helpers.ts';

const ACCEPTED_AT = 1_750_000_000_000;

/**
 * AlimTalk's delivery results and its fallback SMS/LMS (대체발송) in history, whatever database
 * holds it: `delivered`/`undelivered` only after `sent`, then final; the fallback a message of its
 * own, linked both ways (`fallback` on the AlimTalk message, `fallbackOf` on the SMS).
 */
export function describeHistoryFallbackContract(
  name: string,
  makeStore: ContractFactory<HistoryStore>,
): void {
  describe(`${name} history store contract: AlimTalk delivery results and fallbacks`, () => {
    let store: HistoryStore;
    let cleanup: () => Promise<void>;
    let clientId: string;

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
      clientId = uniqueName('client');
    });
    afterEach(async () => cleanup());

    async function alimtalk(count: number): Promise<AcceptedRequest> {
      const request: AcceptedRequest = {
        requestId: uniqueName('req'),
        clientId,
        lane: 'realtime',
        channel: 'alimtalk',
        acceptedAt: ACCEPTED_AT,
        messages: Array.from({ length: count }, (_, index) => ({
          messageId: uniqueName('msg'),
          index,
          key: uniqueName('key'),
          channel: 'alimtalk',
          recipientMasked: '010****5678',
          recipientHash: uniqueName('rcpt'),
        })),
        duplicates: [],
      };
      await store.recordAccepted(request);
      return request;
    }

    function at(offset: number, event: Omit<MessageEvent, 'at'>): MessageEvent {
      return { ...event, at: ACCEPTED_AT + offset };
    }

    async function statusOf(messageId: string): Promise<string | undefined> {
      return (await store.getMessage(clientId, messageId))?.status;
    }

    it('moves a sent message to delivered or undelivered, and no further', async () => {
      const request = await alimtalk(3);
      const [delivered, undelivered, failed] = request.messages.map((m) => m.messageId) as [
        string,
        string,
        string,
      ];
      await store.appendEvents([
        at(10, { messageId: delivered, status: 'sent', vendor: 'nhn-alimtalk', attempt: 1 }),
        at(10, { messageId: undelivered, status: 'sent', vendor: 'nhn-alimtalk', attempt: 1 }),
        at(10, { messageId: failed, status: 'failed', errorCode: 'HERALD_VENDOR_REJECTED' }),
      ]);
      await store.appendEvents([
        at(20, { messageId: delivered, status: 'delivered', vendor: 'nhn-alimtalk', attempt: 1 }),
        at(20, {
          messageId: undelivered,
          status: 'undelivered',
          vendor: 'nhn-alimtalk',
          errorCode: 'HERALD_KAKAO_UNDELIVERED',
          errorMessage: '[3019] not a KakaoTalk user',
        }),
        at(20, { messageId: failed, status: 'delivered' }),
      ]);
      assert.equal(await statusOf(delivered), 'delivered');
      assert.equal(await statusOf(failed), 'failed', 'only a sent message takes a delivery result');
      const view = await store.getMessage(clientId, undelivered);
      assert.equal(view?.status, 'undelivered');
      assert.deepEqual(view.error, {
        code: 'HERALD_KAKAO_UNDELIVERED',
        message: '[3019] not a KakaoTalk user',
      });
      await store.appendEvents([
        at(30, { messageId: delivered, status: 'undelivered', errorCode: 'HERALD_KAKAO_UNDELIVERED' }),
        at(30, { messageId: undelivered, status: 'sent' }),
      ]);
      assert.equal(await statusOf(delivered), 'delivered', 'delivered is final');
      assert.equal(await statusOf(undelivered), 'undelivered', 'undelivered is final');
    });

    it('folds sent and its result written in one batch, and a result ahead of its sent', async () => {
      const request = await alimtalk(2);
      const [first, second] = request.messages.map((m) => m.messageId) as [string, string];
      await store.appendEvents([
        at(10, { messageId: first, status: 'sending', vendor: 'nhn-alimtalk' }),
        at(11, { messageId: first, status: 'sent', vendor: 'nhn-alimtalk', attempt: 1 }),
        at(12, { messageId: first, status: 'delivered', vendor: 'nhn-alimtalk' }),
        at(13, { messageId: first, status: 'retrying' }),
      ]);
      assert.equal(await statusOf(first), 'delivered');
      await store.appendEvents([at(10, { messageId: second, status: 'delivered', vendor: 'nhn-alimtalk' })]);
      await store.appendEvents([at(9, { messageId: second, status: 'sent', vendor: 'nhn-alimtalk' })]);
      assert.equal(await statusOf(second), 'delivered');
    });

    function fallbackOf(request: AcceptedRequest, index: number): UserPushExpansion {
      const parentMessageId = request.messages[index]!.messageId;
      return {
        parentMessageId,
        channel: 'sms',
        requestId: request.requestId,
        clientId,
        lane: request.lane,
        createdAt: request.acceptedAt,
        at: ACCEPTED_AT + 50,
        children: [
          {
            messageId: `${parentMessageId}-fb`,
            key: uniqueName('fallback-key'),
            recipientMasked: '010****5678',
            recipientHash: uniqueName('rcpt'),
          },
        ],
      };
    }

    it('links a fallback SMS and its AlimTalk message both ways, in the message and request views', async () => {
      const request = await alimtalk(2);
      const parentId = request.messages[0]!.messageId;
      const fallback = fallbackOf(request, 0);
      const fallbackId = fallback.children[0]!.messageId;
      await store.recordExpanded([fallback]);
      await store.recordExpanded([fallback]);
      await store.appendEvents([
        at(40, { messageId: parentId, status: 'sent', vendor: 'nhn-alimtalk' }),
        at(60, { messageId: parentId, status: 'undelivered', errorCode: 'HERALD_KAKAO_UNDELIVERED' }),
        at(70, { messageId: fallbackId, status: 'sent', vendor: 'nhn-sms', attempt: 1 }),
      ]);
      const parent = await store.getMessage(clientId, parentId);
      assert.deepEqual(parent?.fallback, {
        messageId: fallbackId,
        channel: 'sms',
        status: 'sent',
        vendor: 'nhn-sms',
      });
      assert.equal(parent.devices, undefined, 'a fallback is not a device message');
      const sms = await store.getMessage(clientId, fallbackId);
      assert.equal(sms?.channel, 'sms');
      assert.equal(sms.fallbackOf, parentId);
      assert.equal(sms.parentMessageId, undefined);
      assert.deepEqual(
        sms.events.map((event) => event.status),
        ['accepted', 'sent'],
        'recorded once',
      );
      const entries = (await store.getRequest(clientId, request.requestId))?.messages as RequestMessageView[];
      assert.equal(entries.length, 2, 'a fallback has no index of its own in the request');
      assert.deepEqual(entries[0]?.fallback, parent.fallback);
      assert.equal(entries[1]?.fallback, undefined);
      assert.equal(await store.getMessage(uniqueName('client'), fallbackId), undefined);
    });
  });
}
