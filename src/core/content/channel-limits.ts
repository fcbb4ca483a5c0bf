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
 * - push: FCM refuses a message whose payload exceeds 4 KB. Title and body together are held to
 *   3.5 KiB of UTF-8, leaving room for the data fields herald adds (message id, request id).
 * - email: RFC 5322 caps a header line at 998 characters; 512 KiB keeps a body well inside every
 *   relay's size limit.
 * - vms: text-to-speech; 1000 characters is several minutes of speech.
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
  /** Subject and body together (push: both travel in one FCM/APNs payload). */
  readonly subjectPlusBody?: TextLimit;
}

export const SMS_MAX_BYTES = 90;

export const CHANNEL_LIMITS: Readonly<Record<Channel, ChannelLimits>> = {
  sms: { body: { max: SMS_MAX_BYTES, unit: 'EUC-KR bytes' } },
  lms: { body: { max: 2000, unit: 'EUC-KR bytes' }, subject: { max: 40, unit: 'EUC-KR bytes' } },
  mms: { body: { max: 2000, unit: 'EUC-KR bytes' }, subject: { max: 40, unit: 'EUC-KR bytes' } },
  push: {
    body: { max: 2000, unit: 'characters' },
    subject: { max: 200, unit: 'characters' },
    subjectPlusBody: { max: 3584, unit: 'UTF-8 bytes' },
  },
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
      return [...text].length;
  }
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
  const effective = channel === 'sms' ? smsOrLms(content, options) : accept<Channel>(channel);
  if (!effective.ok) {
    return effective;
  }
  const problem = findLimitViolation(effective.value, content, options);
  return problem ? reject(problem) : effective;
}

function smsOrLms(content: InlineContent, options: FitOptions): Checked<Channel> {
  const source = options.source ?? 'content';
  const renderedFor = options.renderedFor ?? '';
  const bodyBytes = eucKrByteLength(content.body);
  const fitsSms = content.subject === undefined && bodyBytes <= SMS_MAX_BYTES;
  if (fitsSms) {
    return accept('sms');
  }
  if (options.smsAutoUpgrade) {
    return accept('lms');
  }
  if (content.subject !== undefined) {
    return reject(
      new HeraldError(
        'HERALD_SUBJECT_NOT_SUPPORTED',
        `${source}.subject: SMS has no subject and the LMS upgrade is turned off (smsAutoUpgrade=false); ` +
          'leave the subject out or send with channel "lms"',
        { field: `${source}.subject` },
      ),
    );
  }
  return reject(
    new HeraldError(
      'HERALD_SMS_TOO_LONG',
      `${source}.body${renderedFor} is ${bodyBytes} EUC-KR bytes; an SMS carries at most ${SMS_MAX_BYTES} ` +
        '(Hangul 2 bytes, ASCII 1) and the LMS upgrade is turned off (smsAutoUpgrade=false); ' +
        'shorten it or send with channel "lms"',
      { field: `${source}.body` },
    ),
  );
}

function findLimitViolation(
  channel: Channel,
  content: InlineContent,
  options: FitOptions,
): HeraldError | undefined {
  const limits = CHANNEL_LIMITS[channel];
  const source = options.source ?? 'content';
  const renderedFor = options.renderedFor ?? '';
  if (content.subject !== undefined && !limits.subject) {
    return new HeraldError(
      'HERALD_SUBJECT_NOT_SUPPORTED',
      `${source}.subject: ${channel} messages have no subject; leave it out`,
      { field: `${source}.subject` },
    );
  }
  const checks: [string, string | undefined, TextLimit | undefined][] = [
    ['body', content.body, limits.body],
    ['subject', content.subject, limits.subject],
    ['subject and body', joinSubjectAndBody(content), limits.subjectPlusBody],
  ];
  for (const [part, text, limit] of checks) {
    if (text === undefined || limit === undefined) {
      continue;
    }
    const length = measureText(text, limit.unit);
    if (length > limit.max) {
      const field = part === 'subject' ? `${source}.subject` : `${source}.body`;
      const code = part === 'subject' ? 'HERALD_SUBJECT_TOO_LONG' : 'HERALD_BODY_TOO_LONG';
      return new HeraldError(
        code,
        `${source}.${part === 'subject and body' ? 'subject + body' : part}${renderedFor} is ${length} ` +
          `${limit.unit}; ${channel} allows at most ${limit.max}`,
        { field },
      );
    }
  }
  return undefined;
}

function joinSubjectAndBody(content: InlineContent): string {
  return `${content.subject ?? ''}${content.body}`;
}
