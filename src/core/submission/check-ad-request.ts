import { AD_MARK, checkAdMarking, isAdChannel } from '../content/ad-marking.ts';
import { templateVariables } from '../content/render-template.ts';
import { HeraldError } from '../domain/errors.ts';
import type { SubmissionRequest } from './submission-types.ts';

/**
 * Request-level advertising rules (정보통신망법 §50④, 시행령 §61). Throws a HeraldError (400):
 * - an ad on alimtalk (Kakao allows informational messages only there);
 * - an ad without `sender.name`;
 * - fixed text (no placeholders) that is not marked, answered once for the whole request;
 * - text marked `(광고)` on another lane, where neither the opt-out list nor the night rule would
 *   be applied to it.
 * Text with placeholders is checked per recipient after rendering (checkRenderedAd).
 */
export function checkAdRequest(request: SubmissionRequest): void {
  if (request.lane !== 'ad') {
    if (request.content?.body.startsWith(AD_MARK)) {
      throw new HeraldError(
        'HERALD_AD_OUTSIDE_AD_LANE',
        `content.body starts with '${AD_MARK}' but lane is ${request.lane}; send ads with lane "ad", ` +
          'where opt-outs and the night rule (21:00-08:00 KST) are applied',
        { field: 'lane' },
      );
    }
    return;
  }
  if (!isAdChannel(request.channel)) {
    throw new HeraldError(
      'HERALD_AD_NOT_ALLOWED_ON_CHANNEL',
      `${request.channel} carries informational messages only, never ads (Kakao AlimTalk policy); ` +
        'send ads by sms, lms, mms, push, email or vms',
      { field: 'channel' },
    );
  }
  const senderName = adSenderName(request);
  const body = request.content?.body;
  if (body !== undefined && templateVariables(body).length === 0) {
    const problem = checkAdMarking(body, senderName, 'content.body');
    if (problem) throw problem;
  }
}

/** The rendered body of one recipient's ad, checked like fixed text; only call after checkAdRequest. */
export function checkRenderedAd(
  request: SubmissionRequest,
  body: string,
  renderedFor: string,
): HeraldError | undefined {
  return request.lane === 'ad'
    ? checkAdMarking(body, adSenderName(request), `content.body${renderedFor}`)
    : undefined;
}

function adSenderName(request: SubmissionRequest): string {
  const name = request.sender?.name.trim();
  if (!name) {
    throw new HeraldError(
      'HERALD_AD_SENDER_MISSING',
      'ads need sender: { name } naming the company or service that advertises, and the text must ' +
        'contain that name (정보통신망법 §50④, 시행령 §61)',
      { field: 'sender.name' },
    );
  }
  return name;
}
