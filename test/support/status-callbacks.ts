import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import type { CallbackSettings } from '../../src/core/domain/remote-config.ts';
import { phoneNumbers, type TestHerald, waitFor } from './herald-harness.ts';
import type { ReceivedCallback, WebhookReceiver } from './webhook-receiver.ts';

/** Loopback explicitly allowed, fast retries and rechecks: the receiver is this test process. */
export const LOOPBACK: CallbackSettings = {
  allow: ['127.0.0.1'],
  allowHttp: ['127.0.0.1'],
  retryBaseDelayMs: 20,
  retryMaxDelayMs: 200,
  pausedRecheckMs: 50,
  timeoutMs: 60_000,
};

export async function setCallbacks(h: TestHerald, callbacks: CallbackSettings): Promise<void> {
  const stored = await h.herald.stores.config.putRemoteConfig({ ...h.herald.config.current(), callbacks });
  await waitFor(async () => h.herald.config.version >= stored.version, 10_000, 'callbacks config applied');
}

export async function sendSms(h: TestHerald, count: number, offset: number): Promise<string[]> {
  const requestIds: string[] = [];
  for (let start = 0; start < count; start += 100) {
    const size = Math.min(100, count - start);
    const answer = await h.call('POST', '/v1/messages', {
      channel: 'sms',
      lane: 'realtime',
      recipients: phoneNumbers(size, offset + start).map((to) => ({ to })),
      content: { body: 'callback test' },
    });
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    requestIds.push(answer.body.requestId);
  }
  return requestIds;
}

export async function messageIdsOf(h: TestHerald, requestIds: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const requestId of requestIds) {
    const view = await h.call('GET', `/v1/requests/${requestId}`);
    ids.push(...view.body.messages.map((m: { messageId: string }) => m.messageId));
  }
  return ids;
}

/** Waits until every message has reached the receiver with `status` (at least once). */
export async function waitForEvents(
  receiver: WebhookReceiver,
  messageIds: readonly string[],
  status: string,
) {
  await waitFor(
    async () => {
      const seen = new Set(
        receiver
          .events()
          .filter((event) => event.data.status === status)
          .map((event) => event.data.messageId),
      );
      return messageIds.every((id) => seen.has(id));
    },
    90_000,
    `${messageIds.length} ${status} callbacks`,
  );
}

export function verifies(secret: string, callback: ReceivedCallback): boolean {
  try {
    new Webhook(secret).verify(callback.body, callback.headers);
    return true;
  } catch {
    return false;
  }
}
