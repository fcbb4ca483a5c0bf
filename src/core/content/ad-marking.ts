import type { Channel } from '../domain/channel.ts';
import { HeraldError } from '../domain/errors.ts';

/**
 * The marking a Korean advertising message must carry (정보통신망법 §50④, 시행령 §61):
 * `(광고)` as the very first characters, the sender's name, and a free opt-out method at the end,
 * conventionally `무료수신거부 080-XXX-XXXX`. Violations are fined up to ₩30 million, so herald
 * refuses an unmarked ad instead of sending it; the checks are on text, never on images.
 *
 * Pure functions: the submission use-case calls them on the request's fixed text (a 400 for the
 * whole request) and on each recipient's rendered text (that recipient alone is refused).
 */
export const AD_MARK = '(광고)';

/**
 * Channels that may carry ads. AlimTalk is missing on purpose: Kakao allows informational
 * messages only there, never ads (FriendTalk/BrandTalk are Kakao's ad products).
 */
export const AD_CHANNELS = ['push', 'sms', 'lms', 'mms', 'email', 'vms'] as const;
export type AdChannel = (typeof AD_CHANNELS)[number];

export function isAdChannel(channel: Channel): channel is AdChannel {
  return (AD_CHANNELS as readonly string[]).includes(channel);
}

/**
 * Something that looks like the mark but is not it: `[광고]`, `(광/고)`, `(광 고)`, `<광고>`...
 * Only used to tell the client what it wrote; the rule itself is "starts with AD_MARK".
 */
const MARK_VARIANT = /^\s*[([{<【〔（]?\s*광[\s/·.,]*고\s*[)\]}>】〕）]?/u;

/**
 * `무료수신거부` or `무료거부`, an optional colon, then the number at the very end (trailing
 * whitespace aside). The number's shape is checked separately so the message can say what is wrong.
 */
const OPT_OUT_LINE = /(?:무료수신거부|무료거부)\s*:?\s*(\d[\d\s-]*\d)\s*$/u;
/** 080 (the free-call prefix) and 7-8 digits: 080-XXX-XXXX or 080-XXXX-XXXX. */
const FREE_CALL_NUMBER = /^080\d{7,8}$/;

const LAW = '정보통신망법 §50④, 시행령 §61';

/**
 * The first rule `body` breaks, or undefined when it is a correctly marked ad of `senderName`.
 * `source` names the text in the message (`content.body`, `content.body (rendered for recipients[3])`).
 */
export function checkAdMarking(body: string, senderName: string, source: string): HeraldError | undefined {
  return (
    checkMark(body, source) ?? checkOptOutLine(body, source) ?? checkSenderName(body, senderName, source)
  );
}

function checkMark(body: string, source: string): HeraldError | undefined {
  if (body.startsWith(AD_MARK)) return undefined;
  const variant = MARK_VARIANT.exec(body)?.[0].trim();
  const found =
    variant !== undefined && variant !== AD_MARK
      ? `it starts with '${variant}', a variant the law does not accept`
      : body.includes(AD_MARK)
        ? `'${AD_MARK}' is there but not as the very first characters (index ${body.indexOf(AD_MARK)})`
        : `it does not start with '${AD_MARK}'`;
  return new HeraldError(
    'HERALD_AD_MARKING_MISSING',
    `${source}: an ad must start with exactly '${AD_MARK}' (${LAW}); ${found}. ` +
      `Variants such as (광/고), [광고] or (광 고) are refused`,
    { field: 'content.body' },
  );
}

function checkOptOutLine(body: string, source: string): HeraldError | undefined {
  const line = OPT_OUT_LINE.exec(body);
  if (line && FREE_CALL_NUMBER.test(line[1]!.replace(/[\s-]/g, ''))) return undefined;
  const found = line
    ? `the number after '무료수신거부' is not a free 080 number (080 and 7-8 digits)`
    : `it does not end with '무료수신거부' or '무료거부' followed by an 080 number`;
  return new HeraldError(
    'HERALD_AD_OPT_OUT_MISSING',
    `${source}: an ad must end with a free opt-out line such as '무료수신거부 080-888-0327' (${LAW}); ` +
      `${found}`,
    { field: 'content.body' },
  );
}

function checkSenderName(body: string, senderName: string, source: string): HeraldError | undefined {
  if (body.includes(senderName)) return undefined;
  return new HeraldError(
    'HERALD_AD_SENDER_MISSING',
    `${source}: an ad must name its sender (${LAW}); the text does not contain sender.name ` +
      `'${senderName}'. Put the company or service name in the text, e.g. '(광고) ${senderName} ...'`,
    { field: 'content.body' },
  );
}
