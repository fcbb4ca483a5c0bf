import type { Channel } from '../domain/channel.ts';
import type { HeraldError } from '../domain/errors.ts';
import { sendChannel } from './channel-limits.ts';
import type { Checked } from './checked.ts';
import { accept, reject } from './checked.ts';
import { advertising } from './rules/advertising.ts';
import { channelSize } from './rules/channel-size.ts';
import type { ContentRule, ContentUnderCheck } from './rules/content-under-check.ts';
import { controlCharacters } from './rules/control-characters.ts';
import { eucKrOnly } from './rules/euc-kr-only.ts';
import { pushPayloadSize } from './rules/push-payload-size.ts';

export type { ContentUnderCheck } from './rules/content-under-check.ts';

/**
 * Every rule a message's text must pass, in the order they are applied; the first breach is the
 * answer. They run once on the request's fixed text (a breach is the request's 400), and on each
 * recipient's text as rendered for them (a breach rejects that recipient alone).
 *
 * 1. control characters: NUL anywhere, any control character or line break in a header-bound
 *    field; first, because such text is unsafe to even describe further;
 * 2. advertising: the marking of the law on the ad lane, no ad on any other lane;
 * 3. EUC-KR for SMS/LMS/MMS;
 * 4. channel size, which also decides whether an SMS goes out as an LMS; after the rules on
 *    characters, so a text that breaks another rule is told about that rule rather than its length;
 * 5. push payload size: title, body and push options within the 4096 bytes of FCM and APNs, once
 *    each part is known to be within its own limit.
 */
export const CONTENT_RULES: readonly ContentRule[] = [
  controlCharacters,
  advertising,
  eucKrOnly,
  channelSize,
  pushPayloadSize,
];

/** The channel the text is sent on (an SMS may become an LMS), or the first rule it breaks. */
export function checkContent(content: ContentUnderCheck): Checked<Channel> {
  const breach = firstBreach(content, CONTENT_RULES);
  return breach ? reject(breach) : accept(sendChannel(content.channel, content, content.smsAutoUpgrade));
}

/**
 * The first breach of a rule that judges characters, for the request's text with its placeholders
 * still in it: whatever the variables, every recipient's text would carry that character.
 */
export function checkCharacters(content: ContentUnderCheck): HeraldError | undefined {
  return firstBreach(
    content,
    CONTENT_RULES.filter((rule) => rule.judges === 'characters'),
  );
}

function firstBreach(content: ContentUnderCheck, rules: readonly ContentRule[]): HeraldError | undefined {
  for (const rule of rules) {
    const breach = rule.check(content);
    if (breach) return breach;
  }
  return undefined;
}
