import { callbackTopics } from '../callbacks/callback-topics.ts';
import type { Channel } from '../domain/channel.ts';
import { CHANNELS } from '../domain/channel.ts';
import type { Lane } from '../domain/lane.ts';
import { LANES } from '../domain/lane.ts';

/**
 * Topic layout: one topic per lane x channel (`herald.<lane>.<channel>`), so a lane's consumer
 * group never reads another lane's traffic and a channel's backlog is visible on its own; one
 * retry topic per lane (`herald.<lane>.retry`) so a batch lane's retries never queue ahead of
 * real-time ones; one checks topic per lane (`herald.<lane>.checks`, see checksTopic).
 */
export function sendTopic(lane: Lane, channel: Channel): string {
  return `herald.${lane}.${channel}`;
}

export function retryTopic(lane: Lane): string {
  return `herald.${lane}.retry`;
}

/**
 * Delivery look-ups of a lane's sent messages (Kakao's result of an AlimTalk, a text message's
 * receipt) when their wait is over. They have a topic and a consumer of their own beside the lane's
 * sends: a look-up paced to its vendor's rate may wait seconds, and waiting in the send consumer's
 * in-flight window it would hold back the sends behind it.
 */
export function checksTopic(lane: Lane): string {
  return `herald.${lane}.checks`;
}

export function laneSendTopics(lane: Lane): string[] {
  return CHANNELS.map((channel) => sendTopic(lane, channel));
}

export function allTopics(): string[] {
  return [
    ...LANES.flatMap((lane) => [...laneSendTopics(lane), retryTopic(lane), checksTopic(lane)]),
    ...receiptTopics(),
  ];
}

/**
 * Delivery receipts, one set per deployment (not per lane: a receipt is small and never waits for a
 * vendor): `herald.receipts` takes what webhooks and look-ups report; `herald.receipts.retry` holds
 * receipts that matched no message yet (their `sent` may still be on its way to history) until their
 * next try; `herald.receipts.unmatched` keeps the ones that never matched, for an operator to read.
 */
export const RECEIPTS_TOPIC = 'herald.receipts';
export const RECEIPTS_RETRY_TOPIC = 'herald.receipts.retry';
export const RECEIPTS_UNMATCHED_TOPIC = 'herald.receipts.unmatched';

export function receiptTopics(): string[] {
  return [RECEIPTS_TOPIC, RECEIPTS_RETRY_TOPIC, RECEIPTS_UNMATCHED_TOPIC];
}

/** Every topic herald creates at start: the lanes' and the status callbacks' (core/callbacks/callback-topics.ts). */
export function allHeraldTopics(): string[] {
  return [...allTopics(), ...callbackTopics()];
}
