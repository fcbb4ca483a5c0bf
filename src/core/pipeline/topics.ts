import { callbackTopics } from '../callbacks/callback-topics.ts';
import type { Channel } from '../domain/channel.ts';
import { CHANNELS } from '../domain/channel.ts';
import type { Lane } from '../domain/lane.ts';
import { LANES } from '../domain/lane.ts';

/**
 * Topic layout: one topic per lane x channel (`herald.<lane>.<channel>`), so a lane's consumer
 * group never reads another lane's traffic and a channel's backlog is visible on its own; one
 * retry topic per lane (`herald.<lane>.retry`) so a batch lane's retries never queue ahead of
 * real-time ones.
 */
export function sendTopic(lane: Lane, channel: Channel): string {
  return `herald.${lane}.${channel}`;
}

export function retryTopic(lane: Lane): string {
  return `herald.${lane}.retry`;
}

export function laneSendTopics(lane: Lane): string[] {
  return CHANNELS.map((channel) => sendTopic(lane, channel));
}

export function allTopics(): string[] {
  return LANES.flatMap((lane) => [...laneSendTopics(lane), retryTopic(lane)]);
}

/** Every topic herald creates at start: the lanes' and the status callbacks' (core/callbacks/callback-topics.ts). */
export function allHeraldTopics(): string[] {
  return [...allTopics(), ...callbackTopics()];
}
