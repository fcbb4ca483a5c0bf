import type { SenderRegistry } from '../../ports/sender-registry.ts';
import { HeraldError } from '../domain/errors.ts';
import { checkEmailAddress } from '../senders/email-address.ts';
import { formatMailbox } from '../senders/mailbox.ts';
import { checkSenderNumber } from '../senders/sender-number.ts';
import type { SubmissionRequest } from './submission-types.ts';

/** What the submission reads of the sender registry (through the API's short cache). */
export type SenderLookup = Pick<
  SenderRegistry,
  'listSenderNumbers' | 'listKakaoChannels' | 'listEmailSenders'
>;

/** Who a request's messages are sent as: carried on every envelope of the request. */
export interface ResolvedSenders {
  /**
   * SMS/LMS/MMS: the sender number; AlimTalk: the number of its SMS/LMS fallback (may be absent);
   * e-mail: the registered From mailbox (`"name" <address>` or the address, core/senders/mailbox.ts).
   */
  readonly from?: string;
  /** AlimTalk: the client's default Kakao channel, vendor id -> the channel's id there. */
  readonly kakaoSenders?: Readonly<Record<string, string>>;
  /** E-mail: the Reply-To address, checked (one plain address, no control characters). */
  readonly replyTo?: string;
}

/** The channels sent from a registered number: the text messages, and VMS (the call's caller id). */
const TEXT_CHANNELS = new Set(['sms', 'lms', 'mms', 'vms']);

/**
 * The request's sender, checked against the client's registration once per request (not per
 * recipient): an SMS, LMS, MMS or VMS goes from `from` (digits, registered for the client) or else the
 * client's default number, and without either is 422 HERALD_SENDER_NOT_REGISTERED. An AlimTalk
 * goes through the client's default Kakao channel (none: 422 HERALD_KAKAO_CHANNEL_NOT_REGISTERED)
 * and carries the number its fallback SMS/LMS would go from (`from`, or the default; absent is
 * allowed: the fallback then fails clearly). `from` on any other channel is a 400.
 */
export async function resolveSenders(
  request: Pick<SubmissionRequest, 'clientId' | 'channel' | 'from' | 'replyTo'>,
  senders: SenderLookup,
  alimtalkVendors: readonly string[],
): Promise<ResolvedSenders> {
  const { channel } = request;
  if (channel === 'email') return emailSenders(request, senders);
  if (request.replyTo !== undefined) {
    throw new HeraldError('HERALD_VALIDATION_FAILED', `replyTo is for email, not ${channel}`, {
      field: 'replyTo',
    });
  }
  if (!TEXT_CHANNELS.has(channel) && channel !== 'alimtalk') {
    if (request.from === undefined) return {};
    throw new HeraldError(
      'HERALD_VALIDATION_FAILED',
      `from is for sms, lms, mms, vms and alimtalk (its fallback), not ${channel}`,
      { field: 'from' },
    );
  }
  const asked = request.from === undefined ? undefined : checkSenderNumber(request.from, 'from');
  if (channel !== 'alimtalk') return { from: await senderNumber(request.clientId, asked, senders, true) };
  const [kakaoSenders, from] = await Promise.all([
    defaultChannel(request.clientId, senders, alimtalkVendors),
    senderNumber(request.clientId, asked, senders, false),
  ]);
  return { kakaoSenders, ...(from !== undefined && { from }) };
}

async function senderNumber(
  clientId: string,
  asked: string | undefined,
  senders: SenderLookup,
  required: true,
): Promise<string>;
async function senderNumber(
  clientId: string,
  asked: string | undefined,
  senders: SenderLookup,
  required: boolean,
): Promise<string | undefined>;
async function senderNumber(
  clientId: string,
  asked: string | undefined,
  senders: SenderLookup,
  required: boolean,
): Promise<string | undefined> {
  const numbers = await senders.listSenderNumbers(clientId);
  if (asked !== undefined) {
    if (numbers.some((n) => n.number === asked)) return asked;
    // The number itself is the client's own business line, but answers never echo input values.
    throw new HeraldError(
      'HERALD_SENDER_NOT_REGISTERED',
      'from is not a sender number registered for your client (GET /v1/sender-numbers lists them)',
      { field: 'from' },
    );
  }
  const fallback = numbers.find((n) => n.isDefault)?.number;
  if (fallback !== undefined || !required) return fallback;
  throw new HeraldError(
    'HERALD_SENDER_NOT_REGISTERED',
    'no from given and your client has no default sender number; an admin registers one with PUT /v1/sender-numbers',
    { field: 'from' },
  );
}

/**
 * An e-mail's From: `from` when it is an address registered for the client (compared with its
 * domain lower-cased, as stored), else the client's default address; sent with the display name
 * registered with it. Unregistered, or none given and no default: 422 HERALD_SENDER_NOT_REGISTERED.
 * `replyTo` is checked as one plain address.
 */
async function emailSenders(
  request: Pick<SubmissionRequest, 'clientId' | 'from' | 'replyTo'>,
  senders: SenderLookup,
): Promise<ResolvedSenders> {
  const asked = request.from === undefined ? undefined : checkEmailAddress(request.from, 'from');
  const replyTo = request.replyTo === undefined ? undefined : checkEmailAddress(request.replyTo, 'replyTo');
  const registered = await senders.listEmailSenders(request.clientId);
  const sender =
    asked === undefined ? registered.find((e) => e.isDefault) : registered.find((e) => e.address === asked);
  if (sender === undefined) {
    throw new HeraldError(
      'HERALD_SENDER_NOT_REGISTERED',
      asked === undefined
        ? 'no from given and your client has no default e-mail sender; an admin registers one with PUT /v1/email-senders'
        : 'from is not an e-mail sender address registered for your client (GET /v1/email-senders lists them)',
      { field: 'from' },
    );
  }
  return { from: formatMailbox(sender), ...(replyTo !== undefined && { replyTo }) };
}

/** The default channel, when one of the vendors AlimTalk is routed to knows it (else no vendor could send). */
async function defaultChannel(
  clientId: string,
  senders: SenderLookup,
  alimtalkVendors: readonly string[],
): Promise<Readonly<Record<string, string>>> {
  const channel = (await senders.listKakaoChannels(clientId)).find((c) => c.isDefault);
  if (!channel) {
    throw new HeraldError(
      'HERALD_KAKAO_CHANNEL_NOT_REGISTERED',
      'your client has no Kakao channel for AlimTalk; an admin registers one with PUT /v1/kakao-channels',
    );
  }
  if (alimtalkVendors.some((vendor) => channel.senderIds[vendor] !== undefined)) return channel.senderIds;
  throw new HeraldError(
    'HERALD_KAKAO_CHANNEL_NOT_REGISTERED',
    `your default Kakao channel ${channel.name} has no id at any vendor AlimTalk is routed to ` +
      `(${alimtalkVendors.join(', ')}); an admin adds them with PUT /v1/kakao-channels`,
  );
}
