import { isChannel } from '../domain/channel.ts';
import { isLane } from '../domain/lane.ts';
import type { Envelope } from '../domain/message.ts';
import { parseRecordObject } from '../domain/parse-record-object.ts';

/**
 * Envelopes travel as JSON. Decoding checks the fields the pipeline relies on, so a foreign or
 * corrupt record is recognised as poison (skipped and counted) instead of crashing a lane.
 */
export function encodeEnvelope(envelope: Envelope): string {
  return JSON.stringify(envelope);
}

export function decodeEnvelope(value: string): Envelope | undefined {
  const e = parseRecordObject(value);
  if (e === undefined) return undefined;
  const ok =
    typeof e.messageId === 'string' &&
    typeof e.requestId === 'string' &&
    typeof e.clientId === 'string' &&
    typeof e.key === 'string' &&
    isChannel(e.channel) &&
    isLane(e.lane) &&
    typeof e.to === 'string' &&
    typeof e.attempt === 'number' &&
    typeof e.expiresAt === 'number' &&
    (typeof e.content === 'object' || typeof e.template === 'object');
  return ok ? (e as unknown as Envelope) : undefined;
}
