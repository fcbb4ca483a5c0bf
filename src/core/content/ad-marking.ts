import type { Channel } from '../domain/channel.ts';
import { HeraldError } from '../domain/errors.ts';
import { findAdMarkLookalike } from './ad-mark-lookalike.ts';

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

/** The two wordings of the opt-out line the law's guide uses; the number follows at the very end. */
const OPT_OUT_WORDS = ['무료수신거부', '무료거부'] as const;
/** After the wording: an optional colon, then only digits, spaces and hyphens, from a digit to a digit. */
const OPT_OUT_NUMBER = /^:?\s*(\d[\d\s-]*)$/u;
/** 080 (the free-call prefix) and 7-8 digits: 080-XXX-XXXX or 080-XXXX-XXXX. */
const FREE_CALL_NUMBER = /^080\d{7,8}$/;
/** Brackets a sender name is often wrapped in right after the mark: `(광고)[헤럴드마트] ...`. */
const NAME_BRACKETS = '[(<{【〔〈《「『';
/** A letter, digit or combining mark: what would make the name continue into a longer word. */
const WORD_CHARACTER = /[\p{L}\p{N}\p{M}]/u;

const LAW = '정보통신망법 §50④, 시행령 §61';

/**
 * The first rule `body` breaks, or undefined when it is a correctly marked ad of `senderName`.
 * `source` names the text in the message (`content.body`, `content.body (rendered for recipients[3])`).
 * Each check is linear in the body (no backtracking regex runs over it: bodies reach 512 KiB).
 */
export function checkAdMarking(body: string, senderName: string, source: string): HeraldError | undefined {
  return (
    checkMark(body, source) ?? checkOptOutLine(body, source) ?? checkSenderName(body, senderName, source)
  );
}

/**
 * The first rule an e-mail ad breaks, or undefined. For e-mail the law's guide (KISA, 불법 스팸 방지를
 * 위한 정보통신망법 안내서) puts the mark at the start of the **subject**, and the sender's name and
 * the opt-out method in the body. The opt-out method is herald's own: every ad e-mail carries an
 * unsubscribe link in its body and in `List-Unsubscribe` (RFC 8058 one-click), so no 080 line is
 * asked for. The body must name the sender as its own word, anywhere in it.
 */
export function checkEmailAdMarking(
  subject: string | undefined,
  body: string,
  senderName: string,
  describe: (part: 'subject' | 'body') => string,
): HeraldError | undefined {
  if (subject === undefined) {
    return new HeraldError(
      'HERALD_AD_MARKING_MISSING',
      `${describe('subject')}: an ad e-mail needs a subject starting with exactly '${AD_MARK}' ` +
        `(${LAW}); the request has none. Give content.subject such as '${AD_MARK} ${senderName} ...'`,
      { field: 'content.subject' },
    );
  }
  return (
    checkMark(subject, describe('subject'), 'content.subject') ?? checkNamedInBody(body, senderName, describe)
  );
}

function checkNamedInBody(
  body: string,
  senderName: string,
  describe: (part: 'subject' | 'body') => string,
): HeraldError | undefined {
  for (let at = body.indexOf(senderName); at >= 0; at = body.indexOf(senderName, at + 1)) {
    if (isOwnWord(body, at, senderName.length)) return undefined;
  }
  return new HeraldError(
    'HERALD_AD_SENDER_MISSING',
    `${describe('body')}: an ad e-mail must name its sender in the body (${LAW}); the text does not ` +
      `carry sender.name '${senderName}' as its own word`,
    { field: 'content.body' },
  );
}

function isOwnWord(text: string, at: number, length: number): boolean {
  const before = at === 0 ? undefined : text.slice(0, at).at(-1);
  const after = text.codePointAt(at + length);
  return (
    (before === undefined || !WORD_CHARACTER.test(before)) &&
    (after === undefined || !WORD_CHARACTER.test(String.fromCodePoint(after)))
  );
}

function checkMark(text: string, source: string, field = 'content.body'): HeraldError | undefined {
  if (text.startsWith(AD_MARK)) return undefined;
  const variant = findAdMarkLookalike(text)?.written;
  const found =
    variant !== undefined && variant !== AD_MARK
      ? `it starts with '${variant}', a variant the law does not accept`
      : text.includes(AD_MARK)
        ? `'${AD_MARK}' is there but not as the very first characters (index ${text.indexOf(AD_MARK)})`
        : `it does not start with '${AD_MARK}'`;
  return new HeraldError(
    'HERALD_AD_MARKING_MISSING',
    `${source}: an ad must start with exactly '${AD_MARK}' (${LAW}); ${found}. ` +
      `Variants such as (광/고), [광고], （광고） or (광 고) are refused`,
    { field },
  );
}

function checkOptOutLine(body: string, source: string): HeraldError | undefined {
  const number = optOutNumber(body);
  if (number !== undefined && FREE_CALL_NUMBER.test(number.replace(/[\s-]/g, ''))) return undefined;
  const found =
    number !== undefined
      ? `the number after '무료수신거부' is not a free 080 number (080 and 7-8 digits)`
      : `it does not end with '무료수신거부' or '무료거부' followed by an 080 number`;
  return new HeraldError(
    'HERALD_AD_OPT_OUT_MISSING',
    `${source}: an ad must end with a free opt-out line such as '무료수신거부 080-888-0327' (${LAW}); ` +
      `${found}`,
    { field: 'content.body' },
  );
}

/**
 * The number of the opt-out line that ends the body (`무료수신거부 080-888-0327`, trailing spaces
 * aside), as written, or undefined when the body does not end with one. Only the last wording can
 * be followed by nothing but the number, so that is the one looked at.
 */
function optOutNumber(body: string): string | undefined {
  const at = Math.max(...OPT_OUT_WORDS.map((word) => body.lastIndexOf(word)));
  if (at < 0) return undefined;
  const word = OPT_OUT_WORDS.find((candidate) => body.startsWith(candidate, at))!;
  const rest = body.slice(at + word.length).trim();
  const number = OPT_OUT_NUMBER.exec(rest)?.[1];
  return number !== undefined && /\d$/.test(number) ? number : undefined;
}

/**
 * The sender's name must be the first words after the mark, as its own words: `(광고)`, optional
 * spaces, optionally an opening bracket (and spaces), then the name exactly, then the end of the
 * text or a character that is not a letter or digit (a space, punctuation, a closing bracket).
 * `(광고)헤럴드마트`, `(광고) 헤럴드마트 봄 세일`, `(광고) [헤럴드마트] 세일` and `(광고) 헤럴드마트: 세일`
 * name the sender `헤럴드마트`; `(광고) 헤럴드마트몰 세일` (the word goes on) and `(광고) 봄 세일 -
 * 헤럴드마트` (not after the mark) do not, and neither does a one-letter name found inside a word
 * (`가` in `(광고) 가나다`). Only called once the body starts with the mark.
 */
function checkSenderName(body: string, senderName: string, source: string): HeraldError | undefined {
  let at = skipSpaces(body, AD_MARK.length);
  if (NAME_BRACKETS.includes(body[at] ?? ' ')) at = skipSpaces(body, at + 1);
  const end = at + senderName.length;
  const next = body.codePointAt(end);
  const ownWords =
    body.startsWith(senderName, at) &&
    (next === undefined || !WORD_CHARACTER.test(String.fromCodePoint(next)));
  if (ownWords) return undefined;
  return new HeraldError(
    'HERALD_AD_SENDER_MISSING',
    `${source}: an ad must name its sender right after '${AD_MARK}' (${LAW}); the text does not ` +
      `continue with sender.name '${senderName}' as its own word. Write it as '(광고) ${senderName} ...' ` +
      `or '(광고)[${senderName}] ...'`,
    { field: 'content.body' },
  );
}

function skipSpaces(text: string, from: number): number {
  let at = from;
  while (at < text.length && /\s/u.test(text[at]!)) at += 1;
  return at;
}
