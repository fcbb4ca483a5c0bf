import type { Carrier } from '../../src/core/domain/carrier.ts';
import type { Channel } from '../../src/core/domain/channel.ts';
import type { MessageStatus } from '../../src/core/domain/message-status.ts';
import type { HistoryStore, MessageEvent } from '../../src/ports/history-store.ts';
import { uniqueName } from './contract-helpers.ts';

/** One event of a seeded message, `after` ms after its acceptance. */
export interface SeedEvent {
  readonly status: MessageStatus;
  readonly after: number;
  readonly vendor?: string;
  readonly carrier?: Carrier;
  readonly resultCode?: string;
  readonly errorCode?: string;
}

/** A message to seed: created `at` ms after the dataset's start, on `channel`, then its events. */
export interface SeedMessage {
  readonly at: number;
  readonly channel?: Channel;
  readonly events: readonly SeedEvent[];
}

/**
 * Writes messages the way herald does, through the HistoryStore port: each accepted (its own
 * request), then its events in order. Returns the message ids in the order given.
 */
export async function seedHistory(
  history: HistoryStore,
  start: number,
  messages: readonly SeedMessage[],
): Promise<string[]> {
  const clientId = uniqueName('client');
  const ids: string[] = [];
  for (const message of messages) {
    const messageId = uniqueName('msg');
    const channel = message.channel ?? 'sms';
    const acceptedAt = start + message.at;
    await history.recordAccepted({
      requestId: uniqueName('req'),
      clientId,
      lane: 'realtime',
      channel,
      acceptedAt,
      messages: [
        {
          messageId,
          index: 0,
          key: uniqueName('key'),
          channel,
          recipientMasked: '010-****-0000',
          recipientHash: uniqueName('rcpt'),
        },
      ],
      duplicates: [],
    });
    const events: MessageEvent[] = message.events.map((event) => ({
      messageId,
      status: event.status,
      at: acceptedAt + event.after,
      ...(event.vendor !== undefined && { vendor: event.vendor }),
      ...(event.carrier !== undefined && { carrier: event.carrier }),
      ...(event.resultCode !== undefined && { resultCode: event.resultCode }),
      ...(event.errorCode !== undefined && { errorCode: event.errorCode, errorMessage: event.errorCode }),
      ...(event.status === 'sent' && { vendorMessageId: uniqueName('vmid') }),
    }));
    // One event per write, in order, as a message's life writes them.
    for (const event of events) await history.appendEvents([event]);
    ids.push(messageId);
  }
  return ids;
}

const sent = (after: number, vendor: string): SeedEvent => ({ status: 'sent', after, vendor });
const delivered = (after: number, vendor: string, carrier: Carrier): SeedEvent => ({
  status: 'delivered',
  after,
  vendor,
  carrier,
  resultCode: '1000',
});

/**
 * The dataset docs/stats.md's figures are checked on: thirteen SMS and one e-mail inside the hour
 * after the start, and two SMS just outside it. Expected figures are worked out in the tests.
 */
export const STATS_DATASET: readonly SeedMessage[] = [
  // nhn: three delivered, three undelivered (two with the vendor's code 3015, one with herald's only)
  { at: 1_000, events: [sent(100, 'nhn'), delivered(1_100, 'nhn', 'SKT')] },
  { at: 2_000, events: [sent(200, 'nhn'), delivered(2_200, 'nhn', 'KT')] },
  { at: 3_000, events: [sent(300, 'nhn'), delivered(3_300, 'nhn', 'SKT')] },
  {
    at: 4_000,
    events: [
      sent(400, 'nhn'),
      { status: 'undelivered', after: 5_000, vendor: 'nhn', carrier: 'SKT', resultCode: '3015' },
    ],
  },
  {
    at: 5_000,
    events: [
      sent(700, 'nhn'),
      { status: 'undelivered', after: 8_000, vendor: 'nhn', carrier: 'KT', resultCode: '3015' },
    ],
  },
  {
    at: 6_000,
    events: [
      sent(800, 'nhn'),
      { status: 'undelivered', after: 9_000, vendor: 'nhn', errorCode: 'HERALD_KAKAO_UNDELIVERED' },
    ],
  },
  // sens: one delivered, one failed, one sent without a result yet
  { at: 7_000, events: [sent(500, 'sens'), delivered(1_500, 'sens', 'LGU+')] },
  {
    at: 8_000,
    events: [
      { status: 'sending', after: 10, vendor: 'sens' },
      { status: 'failed', after: 50, vendor: 'sens', errorCode: 'HERALD_VENDOR_REJECTED' },
    ],
  },
  { at: 9_000, events: [sent(600, 'sens')] },
  // no vendor: expired, still in flight, deferred (a night ad), duplicate
  {
    at: 10_000,
    events: [
      { status: 'retrying', after: 10 },
      { status: 'expired', after: 60_000, errorCode: 'HERALD_EXPIRED' },
    ],
  },
  { at: 11_000, events: [{ status: 'queued', after: 5 }] },
  { at: 12_000, events: [{ status: 'deferred', after: 5 }] },
  { at: 13_000, events: [{ status: 'duplicate', after: 5 }] },
  // another channel
  { at: 14_000, channel: 'email', events: [sent(100, 'ses')] },
  // outside [start, start + 1 h): just before, and at the end (exclusive)
  { at: -1, events: [sent(9, 'nhn'), delivered(10, 'nhn', 'SKT')] },
  { at: 3_600_000, events: [sent(9, 'nhn'), delivered(10, 'nhn', 'SKT')] },
];

export const DATASET_SPAN_MS = 3_600_000;
