import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type {
  AcceptedRequest,
  ExpandedMessage,
  HistoryStore,
  MessageEvent,
  RequestMessageView,
  RequestView,
  UserPushExpansion,
} from '../../src/ports/history-store.ts';
import type { ContractFactory } from './contract-helpers.ts';
import { uniqueName } from './contract-helpers.ts';

const ACCEPTED_AT = 1_750_000_000_000;

/** A request of `count` SMS recipients for `clientId`, every id and key unique to this call. */
function smsRequest(clientId: string, count: number, acceptedAt = ACCEPTED_AT): AcceptedRequest {
  return {
    requestId: uniqueName('req'),
    clientId,
    lane: 'realtime',
    channel: 'sms',
    acceptedAt,
    messages: Array.from({ length: count }, (_, index) => ({
      messageId: uniqueName('msg'),
      index,
      key: uniqueName('key'),
      channel: 'sms',
      recipientMasked: `010-****-${String(1000 + index)}`,
      recipientHash: uniqueName('rcpt'),
    })),
    duplicates: [],
  };
}

function messageIdOf(request: AcceptedRequest, index = 0): string {
  return request.messages[index]!.messageId;
}

/** The entries of a request view that are messages (not recipients refused at submission). */
function messagesOf(view: RequestView | undefined): RequestMessageView[] {
  return (view?.messages ?? []).filter((entry): entry is RequestMessageView => 'messageId' in entry);
}

/** Message history as herald's API and workers need it, whatever database holds it. */
export function describeHistoryStoreContract(name: string, makeStore: ContractFactory<HistoryStore>): void {
  describe(`${name} history store contract`, () => {
    let store: HistoryStore;
    let cleanup: () => Promise<void>;
    let clientId: string;

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
      clientId = uniqueName('client');
    });
    afterEach(async () => cleanup());

    async function accepted(count = 1): Promise<AcceptedRequest> {
      const request = smsRequest(clientId, count);
      await store.recordAccepted(request);
      return request;
    }

    async function statusOf(messageId: string): Promise<string | undefined> {
      return (await store.getMessage(clientId, messageId))?.status;
    }

    it('shows an accepted request with every message accepted, in index order', async () => {
      const request = await accepted(3);
      const view = await store.getRequest(clientId, request.requestId);
      assert.deepEqual(view, {
        requestId: request.requestId,
        clientId,
        channel: 'sms',
        lane: 'realtime',
        acceptedAt: ACCEPTED_AT,
        messages: request.messages.map((message) => ({
          index: message.index,
          messageId: message.messageId,
          status: 'accepted',
          vendor: null,
          attempts: 0,
          error: null,
          duplicate: false,
        })),
      });
    });

    it('shows a message with its masked recipient and its accepted event', async () => {
      const request = await accepted();
      const message = await store.getMessage(clientId, messageIdOf(request));
      assert.deepEqual(message, {
        messageId: messageIdOf(request),
        requestId: request.requestId,
        clientId,
        channel: 'sms',
        lane: 'realtime',
        recipient: '010-****-1000',
        status: 'accepted',
        vendor: null,
        attempts: 0,
        error: null,
        createdAt: ACCEPTED_AT,
        updatedAt: ACCEPTED_AT,
        events: [{ messageId: messageIdOf(request), status: 'accepted', at: ACCEPTED_AT }],
      });
    });

    it('recording the same request twice adds nothing', async () => {
      const request = await accepted(2);
      await store.recordAccepted(request);
      assert.equal((await store.getRequest(clientId, request.requestId))?.messages.length, 2);
      assert.equal((await store.getMessage(clientId, messageIdOf(request)))?.events.length, 1);
    });

    it('moves a message through its events and keeps them in written order', async () => {
      const request = await accepted();
      const messageId = messageIdOf(request);
      const at = ACCEPTED_AT + 1_000;
      const events: MessageEvent[] = [
        { messageId, status: 'queued', at },
        { messageId, status: 'sending', at, vendor: 'sim-sms-a', attempt: 1 },
        {
          messageId,
          status: 'sent',
          at,
          vendor: 'sim-sms-a',
          attempt: 1,
          latencyMs: 42.5,
          dedupFailOpen: true,
        },
      ];
      await store.appendEvents(events);
      const message = await store.getMessage(clientId, messageId);
      assert.equal(message?.status, 'sent');
      assert.equal(message.vendor, 'sim-sms-a');
      assert.equal(message.attempts, 1);
      assert.equal(message.updatedAt, at);
      assert.deepEqual(message.events, [{ messageId, status: 'accepted', at: ACCEPTED_AT }, ...events]);
      const [first] = messagesOf(await store.getRequest(clientId, request.requestId));
      assert.equal(first?.status, 'sent');
      assert.equal(first.vendor, 'sim-sms-a');
    });

    it('keeps a terminal status when a late event arrives, but records the event', async () => {
      const request = await accepted(2);
      const [sentId, failedId] = [messageIdOf(request, 0), messageIdOf(request, 1)];
      await store.appendEvents([
        { messageId: sentId, status: 'sent', at: ACCEPTED_AT + 10, vendor: 'sim-sms-b', attempt: 1 },
        {
          messageId: failedId,
          status: 'failed',
          at: ACCEPTED_AT + 10,
          errorCode: 'HERALD_RECIPIENT_INVALID',
        },
      ]);
      await store.appendEvents([
        { messageId: sentId, status: 'queued', at: ACCEPTED_AT + 20, vendor: 'sim-sms-c', attempt: 2 },
        { messageId: failedId, status: 'retrying', at: ACCEPTED_AT + 20, attempt: 3 },
      ]);
      const sent = await store.getMessage(clientId, sentId);
      assert.equal(sent?.status, 'sent');
      assert.equal(sent.vendor, 'sim-sms-b');
      assert.equal(sent.attempts, 1);
      assert.deepEqual(
        sent.events.map((event) => event.status),
        ['accepted', 'sent', 'queued'],
      );
      assert.equal(await statusOf(failedId), 'failed');
    });

    it('finds sent messages by their vendor and its message id, and keeps the receipt fields', async () => {
      const request = await accepted(3);
      const [a, b, c] = [0, 1, 2].map((index) => messageIdOf(request, index));
      const vendorId = uniqueName('vid');
      await store.appendEvents([
        {
          messageId: a!,
          status: 'sent',
          at: ACCEPTED_AT + 10,
          vendor: 'nhn-sms',
          vendorMessageId: `${vendorId}-a`,
        },
        {
          messageId: b!,
          status: 'sent',
          at: ACCEPTED_AT + 10,
          vendor: 'sens-sms',
          vendorMessageId: `${vendorId}-b`,
        },
        { messageId: c!, status: 'failed', at: ACCEPTED_AT + 10, vendor: 'nhn-sms', errorCode: 'HERALD_X' },
      ]);
      const found = await store.findByVendorMessageIds('nhn-sms', [
        `${vendorId}-a`,
        `${vendorId}-b`,
        'nothing',
      ]);
      assert.deepEqual([...found.keys()], [`${vendorId}-a`]);
      assert.deepEqual(found.get(`${vendorId}-a`), {
        messageId: a,
        clientId,
        channel: 'sms',
        lane: 'realtime',
        status: 'sent',
        vendorMessageId: `${vendorId}-a`,
      });
      assert.equal((await store.findByVendorMessageIds('nhn-sms', [])).size, 0);

      const delivered: MessageEvent = {
        messageId: a!,
        status: 'delivered',
        at: ACCEPTED_AT + 5_000,
        vendor: 'nhn-sms',
        carrier: 'KT',
        resultCode: '1000',
      };
      await store.appendEvents([delivered]);
      // A second receipt for a final message is history only.
      await store.appendEvents([
        { ...delivered, status: 'undelivered', at: ACCEPTED_AT + 6_000, carrier: 'SKT' },
      ]);
      const view = await store.getMessage(clientId, a!);
      assert.equal(view?.status, 'delivered');
      assert.deepEqual(view.events.at(-2), delivered);
      assert.equal(view.events[1]?.vendorMessageId, `${vendorId}-a`);
      assert.equal(
        (await store.findByVendorMessageIds('nhn-sms', [`${vendorId}-a`])).get(`${vendorId}-a`)?.status,
        'delivered',
      );
    });

    it("finds a message sent again (its worker killed before confirming) by the resend's vendor message id", async () => {
      const messageId = messageIdOf(await accepted());
      const vendorId = uniqueName('vid');
      const sent = (n: number, vendor: string, at: number): MessageEvent => ({
        messageId,
        status: 'sent',
        at,
        vendor,
        vendorMessageId: `${vendorId}-${n}`,
      });
      await store.appendEvents([sent(1, 'nhn-sms', ACCEPTED_AT + 10)]);
      // In one batch and in the next: the later send's check is the one that survived.
      await store.appendEvents([
        { messageId, status: 'sending', at: ACCEPTED_AT + 20, vendor: 'nhn-sms' },
        sent(2, 'nhn-sms', ACCEPTED_AT + 30),
      ]);
      await store.appendEvents([sent(3, 'sens-sms', ACCEPTED_AT + 40)]);
      const found = await store.findByVendorMessageIds('sens-sms', [`${vendorId}-3`]);
      assert.equal(found.get(`${vendorId}-3`)?.messageId, messageId);
      assert.equal(found.get(`${vendorId}-3`)?.status, 'sent');
      const view = await store.getMessage(clientId, messageId);
      assert.equal(view?.status, 'sent');
      assert.equal(view.vendor, 'sens-sms');
    });

    it('counts attempts as the highest attempt seen', async () => {
      const messageId = messageIdOf(await accepted());
      await store.appendEvents([
        { messageId, status: 'retrying', at: ACCEPTED_AT + 1, attempt: 3 },
        { messageId, status: 'sending', at: ACCEPTED_AT + 2, attempt: 2 },
      ]);
      const message = await store.getMessage(clientId, messageId);
      assert.equal(message?.attempts, 3);
      assert.equal(message.status, 'sending');
    });

    it('keeps the last error until a sent clears it', async () => {
      const messageId = messageIdOf(await accepted());
      const timeout = { code: 'HERALD_VENDOR_TIMEOUT', message: 'sim-sms-a did not answer in 5000 ms' };
      await store.appendEvents([
        {
          messageId,
          status: 'retrying',
          at: ACCEPTED_AT + 1,
          vendor: 'sim-sms-a',
          attempt: 1,
          errorCode: timeout.code,
          errorMessage: timeout.message,
        },
        { messageId, status: 'sending', at: ACCEPTED_AT + 2, vendor: 'sim-sms-b', attempt: 2 },
      ]);
      const retrying = await store.getMessage(clientId, messageId);
      assert.deepEqual(retrying?.error, timeout);
      assert.equal(retrying.vendor, 'sim-sms-b');
      await store.appendEvents([
        { messageId, status: 'sent', at: ACCEPTED_AT + 3, vendor: 'sim-sms-b', attempt: 2 },
      ]);
      assert.equal((await store.getMessage(clientId, messageId))?.error, null);
    });

    it('shows the error of a failed message in its request', async () => {
      const request = await accepted();
      await store.appendEvents([
        {
          messageId: messageIdOf(request),
          status: 'failed',
          at: ACCEPTED_AT + 5,
          errorCode: 'HERALD_RECIPIENT_INVALID',
          errorMessage: 'not a subscriber',
        },
      ]);
      const view = await store.getRequest(clientId, request.requestId);
      assert.deepEqual(view?.messages[0]?.error, {
        code: 'HERALD_RECIPIENT_INVALID',
        message: 'not a subscriber',
      });
    });

    it("never shows one client's requests or messages to another", async () => {
      const request = await accepted();
      const stranger = uniqueName('client');
      assert.equal(await store.getRequest(stranger, request.requestId), undefined);
      assert.equal(await store.getMessage(stranger, messageIdOf(request)), undefined);
      assert.equal(await store.getRequest(clientId, uniqueName('req')), undefined);
      assert.equal(await store.getMessage(clientId, uniqueName('msg')), undefined);
    });

    it('shows a repeated recipient under the new request as a duplicate of the earlier message', async () => {
      const original = await accepted();
      const originalId = messageIdOf(original);
      const repeat = smsRequest(clientId, 1, ACCEPTED_AT + 60_000);
      await store.recordAccepted({ ...repeat, duplicates: [{ index: 1, messageId: originalId }] });
      await store.appendEvents([
        { messageId: originalId, status: 'sent', at: ACCEPTED_AT + 1, vendor: 'sim-sms-a' },
      ]);

      const view = await store.getRequest(clientId, repeat.requestId);
      assert.deepEqual(
        messagesOf(view).map((m) => [m.index, m.messageId, m.duplicate, m.status]),
        [
          [0, messageIdOf(repeat), false, 'accepted'],
          [1, originalId, true, 'sent'],
        ],
      );
      assert.deepEqual(
        messagesOf(await store.getRequest(clientId, original.requestId)).map((m) => m.duplicate),
        [false],
        'the original request is unchanged',
      );
    });

    it('shows the recipients refused at submission with their error, in index order among the messages', async () => {
      const base = smsRequest(clientId, 2);
      const [first, second] = base.messages as [
        AcceptedRequest['messages'][0],
        AcceptedRequest['messages'][0],
      ];
      const invalidPhone = {
        code: 'HERALD_INVALID_PHONE',
        message: 'recipients[1].to is not a mobile number',
      };
      const optedOut = { code: 'HERALD_RECIPIENT_OPTED_OUT', message: 'recipients[3] opted out' };
      const request: AcceptedRequest = {
        ...base,
        messages: [first, { ...second, index: 2 }],
        rejected: [
          { index: 1, error: invalidPhone },
          { index: 3, error: optedOut },
        ],
      };
      await store.recordAccepted(request);
      await store.recordAccepted(request);
      const view = await store.getRequest(clientId, request.requestId);
      assert.deepEqual(view?.messages, [
        {
          index: 0,
          messageId: first.messageId,
          status: 'accepted',
          vendor: null,
          attempts: 0,
          error: null,
          duplicate: false,
        },
        { index: 1, error: invalidPhone },
        {
          index: 2,
          messageId: second.messageId,
          status: 'accepted',
          vendor: null,
          attempts: 0,
          error: null,
          duplicate: false,
        },
        { index: 3, error: optedOut },
      ]);
      assert.equal(
        await store.getRequest(uniqueName('client'), request.requestId),
        undefined,
        'refused recipients are as private as the rest of the request',
      );
    });

    it('records a repeat by a later request (duplicate with requestId) without changing the status', async () => {
      const request = await accepted();
      const id = messageIdOf(request);
      await store.appendEvents([
        { messageId: id, status: 'queued', at: ACCEPTED_AT + 1 },
        { messageId: id, status: 'duplicate', at: ACCEPTED_AT + 2, requestId: uniqueName('req') },
      ]);
      assert.equal(await statusOf(id), 'queued');
      await store.appendEvents([{ messageId: id, status: 'sent', at: ACCEPTED_AT + 3, vendor: 'sim-sms-a' }]);
      const message = await store.getMessage(clientId, id);
      assert.equal(message?.status, 'sent');
      assert.ok(
        message?.events.some((e) => e.status === 'duplicate'),
        'the repeat is in the history',
      );
    });

    /** Resolves message `index` of `request` into `count` device messages, as a worker would. */
    function expansionOf(request: AcceptedRequest, count: number, at = ACCEPTED_AT + 100): UserPushExpansion {
      const parentMessageId = messageIdOf(request);
      return {
        parentMessageId,
        requestId: request.requestId,
        clientId,
        lane: request.lane,
        createdAt: request.acceptedAt,
        at,
        children: Array.from({ length: count }, (_, i) => ({
          // Sorted as the views list them (by message id).
          messageId: `${parentMessageId}-d${i}`,
          key: uniqueName('child-key'),
          recipientMasked: `tok${i}aa****`,
          recipientHash: uniqueName('token-hash'),
        })),
      };
    }

    async function pushToUser(): Promise<AcceptedRequest> {
      const request = smsRequest(clientId, 2);
      const push: AcceptedRequest = {
        ...request,
        channel: 'push',
        messages: request.messages.map((m) => ({ ...m, channel: 'push', recipientMasked: 'user:42****' })),
      };
      await store.recordAccepted(push);
      return push;
    }

    it('records the device messages of a push to a user under it, in the request and message views', async () => {
      const request = await pushToUser();
      const expansion = expansionOf(request, 2);
      await store.recordExpanded([expansion]);
      const [first, second] = expansion.children as [ExpandedMessage, ExpandedMessage];
      const device = (child: ExpandedMessage) => ({
        messageId: child.messageId,
        recipient: child.recipientMasked,
        status: 'accepted',
        vendor: null,
        attempts: 0,
        error: null,
      });
      const view = await store.getRequest(clientId, request.requestId);
      const [parentEntry, otherEntry] = messagesOf(view);
      assert.deepEqual(parentEntry?.devices, [device(first), device(second)]);
      assert.equal(otherEntry && 'devices' in otherEntry, false, 'a message without devices has no list');
      assert.equal(view?.messages.length, 2, 'device messages have no index of their own');

      const parent = await store.getMessage(clientId, expansion.parentMessageId);
      assert.deepEqual(parent?.devices, [device(first), device(second)]);
      assert.equal(parent?.parentMessageId, undefined);
      const child = await store.getMessage(clientId, first.messageId);
      assert.deepEqual(child, {
        messageId: first.messageId,
        requestId: request.requestId,
        clientId,
        channel: 'push',
        lane: 'realtime',
        recipient: first.recipientMasked,
        status: 'accepted',
        vendor: null,
        attempts: 0,
        error: null,
        createdAt: ACCEPTED_AT,
        updatedAt: expansion.at,
        events: [{ messageId: first.messageId, status: 'accepted', at: expansion.at }],
        parentMessageId: expansion.parentMessageId,
      });
    });

    it('recording the same expansion again (a redelivered parent) adds nothing', async () => {
      const request = await pushToUser();
      const expansion = expansionOf(request, 2);
      await store.recordExpanded([expansion]);
      await store.appendEvents([
        { messageId: expansion.children[0]!.messageId, status: 'sent', at: ACCEPTED_AT + 200, vendor: 'fcm' },
      ]);
      await store.recordExpanded([{ ...expansion, at: ACCEPTED_AT + 300 }]);
      const child = await store.getMessage(clientId, expansion.children[0]!.messageId);
      assert.equal(child?.status, 'sent');
      assert.deepEqual(
        child?.events.map((e) => e.status),
        ['accepted', 'sent'],
      );
      const parent = await store.getMessage(clientId, expansion.parentMessageId);
      assert.equal(parent?.devices?.length, 2);
    });

    it("moves device messages through their events and shows each one's state under the parent", async () => {
      const request = await pushToUser();
      const expansion = expansionOf(request, 2);
      await store.recordExpanded([expansion]);
      const [first, second] = expansion.children as [ExpandedMessage, ExpandedMessage];
      await store.appendEvents([
        { messageId: expansion.parentMessageId, status: 'expanded', at: ACCEPTED_AT + 150 },
        { messageId: first.messageId, status: 'sent', at: ACCEPTED_AT + 200, vendor: 'fcm', attempt: 1 },
        {
          messageId: second.messageId,
          status: 'failed',
          at: ACCEPTED_AT + 200,
          vendor: 'apns',
          attempt: 1,
          errorCode: 'HERALD_TOKEN_INVALID',
          errorMessage: '[Unregistered] the device token is no longer active',
        },
      ]);
      const [parentEntry] = messagesOf(await store.getRequest(clientId, request.requestId));
      assert.equal(parentEntry?.status, 'expanded');
      assert.deepEqual(
        parentEntry?.devices?.map((d) => [d.status, d.vendor, d.attempts, d.error?.code ?? null]),
        [
          ['sent', 'fcm', 1, null],
          ['failed', 'apns', 1, 'HERALD_TOKEN_INVALID'],
        ],
      );
      await store.appendEvents([
        { messageId: expansion.parentMessageId, status: 'queued', at: ACCEPTED_AT + 400 },
      ]);
      assert.equal(await statusOf(expansion.parentMessageId), 'expanded', 'expanded is terminal');
    });

    it('records device messages before their parent is in history (a worker ahead of the API)', async () => {
      const request = smsRequest(clientId, 1);
      const expansion = expansionOf({ ...request, channel: 'push' }, 1);
      await store.recordExpanded([expansion]);
      const child = await store.getMessage(clientId, expansion.children[0]!.messageId);
      assert.equal(child?.parentMessageId, expansion.parentMessageId);
      await store.recordAccepted({ ...request, channel: 'push' });
      const parent = await store.getMessage(clientId, expansion.parentMessageId);
      assert.deepEqual(
        parent?.devices?.map((d) => d.messageId),
        [expansion.children[0]!.messageId],
      );
    });

    it("never shows one client's device messages to another", async () => {
      const request = await pushToUser();
      const expansion = expansionOf(request, 1);
      await store.recordExpanded([expansion]);
      const stranger = uniqueName('client');
      assert.equal(await store.getMessage(stranger, expansion.children[0]!.messageId), undefined);
      assert.equal(await store.getMessage(stranger, expansion.parentMessageId), undefined);
    });

    it('is healthy while open', async () => {
      assert.equal(await store.healthy(), true);
    });
  });
}
