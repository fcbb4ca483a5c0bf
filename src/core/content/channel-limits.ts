import type { Channel } from '../domain/channel.ts';
import { HeraldError } from '../domain/errors.ts';
import type { InlineContent } from '../domain/message.ts';
import type { Checked } from './checked.ts';
import { accept, reject } from './checked.ts';
import { eucKrByteLength } from './euc-kr.ts';

/**
 * Size limits per channel, in the unit the vendor counts, and the SMS -> LMS upgrade.
 *
 * - sms/lms/mms count EUC-KR bytes, the carriers' standard (reference/vendor-contracts.md §4):
 *   SMS 90, LMS/MMS body 2000 and subject 40. Vendors store more and truncate on delivery, so the
 *   standard, not the vendor's storage limit, is what we enforce.
 * - push: title and body each within a sensible length; FCM and APNs refuse a payload over
 *   4096 bytes, which the push payload rule judges with the push options (rules/push-payload-size.ts).
 * - email: RFC 5322 caps a header line at 998 characters; 512 KiB keeps a body well inside every
 *   relay's size limit.
 * - vms: text-to-speech; 1000 characters is several minutes of speech. SOLAPI's voice message
 *   documents no limit of its text (only 135 characters for its header and tail, checked with the
 *   vms options in submission/check-vms-options.ts), so this one is herald's own.
 * - alimtalk: Kakao caps a template message at 1000 characters.
 */
export type LengthUnit = 'EUC-KR bytes' | 'characters' | 'UTF-8 bytes';

export interface TextLimit {
  readonly max: number;
  readonly unit: LengthUnit;
}

export interface ChannelLimits {
  readonly body: TextLimit;
  /** Absent: the channel has no subject. */
  readonly subject?: TextLimit;
}

export const SMS_MAX_BYTES = 90;

export const CHANNEL_LIMITS: Readonly<Record<Channel, ChannelLimits>> = {
  sms: { body: { max: SMS_MAX_BYTES, unit: 'EUC-KR bytes' } },
  lms: { body: { max: 2000, unit: 'EUC-KR bytes' }, subject: { max: 40, unit: 'EUC-KR bytes' } },
  mms: { body: { max: 2000, unit: 'EUC-KR bytes' }, subject: { max: 40, unit: 'EUC-KR bytes' } },
  push: { body: { max: 2000, unit: 'characters' }, subject: { max: 200, unit: 'characters' } },
  email: { body: { max: 512 * 1024, unit: 'UTF-8 bytes' }, subject: { max: 998, unit: 'characters' } },
  vms: { body: { max: 1000, unit: 'characters' } },
  alimtalk: { body: { max: 1000, unit: 'characters' } },
};

export function measureText(text: string, unit: LengthUnit): number {
  switch (unit) {
    case 'EUC-KR bytes':
      return eucKrByteLength(text);
    case 'UTF-8 bytes':
      return Buffer.byteLength(text, 'utf8');
    case 'characters':
      // Code points, not UTF-16 units: an emoji is one character to the person typing it.
      return codePointLength(text);
  }
}

/** Counted without building an array of characters (bodies reach 512 KiB). */
function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length - 1; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length -= 1;
        i += 1;
      }
    }
  }
  return length;
}

export type TextPart = 'subject' | 'body';

/**
 * The limit a text part must render within on `channel` as the client asked for it, or undefined
 * when the channel has no such part. An SMS renders within the LMS limits when the upgrade is on,
 * since it is sent as an LMS once it outgrows 90 bytes.
 */
export function renderLimit(
  channel: Channel,
  part: TextPart,
  smsAutoUpgrade: boolean,
): TextLimit | undefined {
  if (channel === 'sms') {
    if (smsAutoUpgrade) return CHANNEL_LIMITS.lms[part];
    return part === 'body' ? CHANNEL_LIMITS.sms.body : undefined;
  }
  return CHANNEL_LIMITS[channel][part];
}

export interface FitOptions {
  /** From remote config: when false, an SMS that does not fit is refused instead of sent as LMS. */
  readonly smsAutoUpgrade: boolean;
  /** Where the text came from, for messages: `content` or `template`. */
  readonly source?: string;
  /** Appended to messages when the text was rendered per recipient, e.g. ` (rendered for recipients[3])`. */
  readonly renderedFor?: string;
}

/**
 * The channel the content is actually sent on. An SMS whose body exceeds 90 EUC-KR bytes, or which
 * has a subject (SMS has none), becomes an LMS when `smsAutoUpgrade` is on: what the client meant is
 * "a text message", and an LMS is how carriers deliver a long one.
 */
export function fitContentToChannel(
  channel: Channel,
  content: InlineContent,
  options: FitOptions,
): Checked<Channel> {
  const problem = findLimitViolation(channel, content, options);
  return problem ? reject(problem) : accept(sendChannel(channel, content, options.smsAutoUpgrade));
}

/** The channel content that passed fitContentToChannel is sent on: `lms` for an upgraded SMS. */
export function sendChannel(channel: Channel, content: InlineContent, smsAutoUpgrade: boolean): Channel {
  if (channel !== 'sms' || !smsAutoUpgrade) return channel;
  const fitsSms = content.subject === undefined && eucKrByteLength(content.body) <= SMS_MAX_BYTES;
  return fitsSms ? 'sms' : 'lms';
}

function findLimitViolation(
  channel: Channel,
  content: InlineContent,
  options: FitOptions,
): HeraldError | undefined {
  if (content.subject !== undefined && !renderLimit(channel, 'subject', options.smsAutoUpgrade)) {
    return subjectNotSupported(channel, options);
  }
  const effective = sendChannel(channel, content, options.smsAutoUpgrade);
  for (const part of ['body', 'subject'] as const) {
    const text = content[part];
    const limit = renderLimit(effective, part, false);
    const length = text === undefined || !limit ? 0 : measureText(text, limit.unit);
    if (limit && length > limit.max) return tooLong(channel, part, length, options);
  }
  return undefined;
}

/** A subject on a channel without one (vms, alimtalk, or sms with the LMS upgrade off). */
export function subjectNotSupported(channel: Channel, options: FitOptions): HeraldError {
  const source = options.source ?? 'content';
  const message =
    channel === 'sms'
      ? `${source}.subject: SMS has no subject and the LMS upgrade is turned off (smsAutoUpgrade=false); ` +
        'leave the subject out or send with channel "lms"'
      : `${source}.subject: ${channel} messages have no subject; leave it out`;
  return new HeraldError('HERALD_SUBJECT_NOT_SUPPORTED', message, { field: `${source}.subject` });
}

/**
 * `part` is `length` units long, more than `channel` (as the client asked for it) allows. An SMS is
 * measured against the LMS limits when the upgrade is on, and is HERALD_SMS_TOO_LONG when it is off.
 */
export function tooLong(channel: Channel, part: TextPart, length: number, options: FitOptions): HeraldError {
  const source = options.source ?? 'content';
  const where = `${source}.${part}${options.renderedFor ?? ''}`;
  if (channel === 'sms' && !options.smsAutoUpgrade) {
    return new HeraldError(
      'HERALD_SMS_TOO_LONG',
      `${where} is ${length} EUC-KR bytes; an SMS carries at most ${SMS_MAX_BYTES} ` +
        '(Hangul 2 bytes, ASCII 1) and the LMS upgrade is turned off (smsAutoUpgrade=false); ' +
        'shorten it or send with channel "lms"',
      { field: `${source}.body` },
    );
  }
  const effective = channel === 'sms' ? 'lms' : channel;
  const limit = CHANNEL_LIMITS[effective][part]!;
  return new HeraldError(
    part === 'subject' ? 'HERALD_SUBJECT_TOO_LONG' : 'HERALD_BODY_TOO_LONG',
    `${where} is ${length} ${limit.unit}; ${effective} allows at most ${limit.max}`,
    { field: `${source}.${part}` },
  );
}
