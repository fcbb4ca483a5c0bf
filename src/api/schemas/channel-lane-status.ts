import { Type } from 'typebox';
import { CHANNELS } from '../../core/domain/channel.ts';
import { LANES } from '../../core/domain/lane.ts';
import { MESSAGE_STATUSES } from '../../core/domain/message-status.ts';

/** The enums a message is told by, in the request, the 202 answer and the views alike. */
export const ChannelSchema = Type.Enum(CHANNELS, { type: 'string', description: 'Delivery channel' });

export const LaneSchema = Type.Enum(LANES, {
  type: 'string',
  description: 'Traffic class: realtime (notifications), batch (bulk informational), ad (advertising)',
});

export const StatusSchema = Type.Enum(MESSAGE_STATUSES, {
  type: 'string',
  description:
    'accepted, queued, sending, retrying, deferred (a night ad waiting for 08:00 KST) on the way; final: ' +
    'sent, failed, expired, duplicate, or expanded (a push to a user, resolved into one message per ' +
    'live device: see devices); after sent, AlimTalk only: delivered (Kakao delivered it) or undelivered ' +
    '(HERALD_KAKAO_UNDELIVERED with the vendor code; see fallback)',
});
