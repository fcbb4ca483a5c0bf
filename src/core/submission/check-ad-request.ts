import { isAdChannel } from '../content/ad-marking.ts';
import { HeraldError } from '../domain/errors.ts';
import type { SubmissionRequest } from './submission-types.ts';

/**
 * The advertising rules that depend on the request alone (정보통신망법 §50④, 시행령 §61); the text
 * itself is judged by the content rules (content/rules/advertising.ts). Throws a HeraldError (400):
 * - an ad on alimtalk (Kakao allows informational messages only there);
 * - an ad without `sender.name`.
 * Returns the sender's name on the ad lane, undefined on the others.
 */
export function checkAdRequest(request: SubmissionRequest): string | undefined {
  if (request.lane !== 'ad') return undefined;
  if (!isAdChannel(request.channel)) {
    throw new HeraldError(
      'HERALD_AD_NOT_ALLOWED_ON_CHANNEL',
      `${request.channel} carries informational messages only, never ads (Kakao AlimTalk policy); ` +
        'send ads by sms, lms, mms, push, email or vms',
      { field: 'channel' },
    );
  }
  const name = request.sender?.name.trim();
  if (!name) {
    throw new HeraldError(
      'HERALD_AD_SENDER_MISSING',
      'ads need sender: { name } naming the company or service that advertises, and the text must ' +
        'name it right after (광고) (정보통신망법 §50④, 시행령 §61)',
      { field: 'sender.name' },
    );
  }
  return name;
}
