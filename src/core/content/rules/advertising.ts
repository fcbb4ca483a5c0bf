import { HeraldError } from '../../domain/errors.ts';
import { findAdMarkLookalike } from '../ad-mark-lookalike.ts';
import { AD_MARK, checkAdMarking, checkEmailAdMarking } from '../ad-marking.ts';
import type { ContentRule, ContentUnderCheck } from './content-under-check.ts';
import { describePart, textParts } from './content-under-check.ts';

/**
 * The advertising rules, on the text as each recipient reads it, in every lane.
 *
 * - On the ad lane the marking of the law: exactly `(광고)` first, the sender's name right after it,
 *   a free opt-out line at the end (ad-marking.ts). E-mail: `(광고)` first in the subject, the
 *   sender named in the body; herald adds the opt-out link itself (checkEmailAdMarking).
 * - On every other lane, text that reads as an ad (`(광고)` or a look-alike, after spaces or invisible
 *   characters too, in the subject or the body) is refused: sent there, it would escape the
 *   opt-out list and the night rule. A variable that renders `（광고）` at the start counts.
 */
export const advertising: ContentRule = {
  name: 'advertising',
  judges: 'whole text',
  check(content) {
    if (content.lane === 'ad' && content.channel === 'email') {
      return checkEmailAdMarking(content.subject, content.body, content.senderName ?? '', (part) =>
        describePart(content, part),
      );
    }
    if (content.lane === 'ad') {
      return checkAdMarking(content.body, content.senderName ?? '', describePart(content, 'body'));
    }
    for (const [part, text] of textParts(content)) {
      const lookalike = findAdMarkLookalike(text);
      if (lookalike?.readsAsMark) return outsideAdLane(content, part, lookalike.written);
    }
    return undefined;
  },
};

function outsideAdLane(content: ContentUnderCheck, part: 'subject' | 'body', written: string): HeraldError {
  const reads = written === AD_MARK ? `'${AD_MARK}'` : `'${written}', which reads as '${AD_MARK}',`;
  return new HeraldError(
    'HERALD_AD_OUTSIDE_AD_LANE',
    `${describePart(content, part)} starts with ${reads} but lane is ${content.lane}; send ads with ` +
      'lane "ad", where opt-outs and the night rule (21:00-08:00 KST) are applied',
    { field: 'lane' },
  );
}
