import { HeraldError } from '../core/domain/errors.ts';

/**
 * herald makes the URL (its base URL and a base64url token), but it is still checked to be one
 * plain http(s) URL before it goes into a header: no space, CR, LF, `<`, `>` or `,` (a second URL).
 */
const PLAIN_URL = /^https?:\/\/[!#-+\--;=?-~]+$/;

/** RFC 8058's one-click header: the mailbox POSTs `List-Unsubscribe=One-Click` to the URL. */
export const ONE_CLICK = { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' } as const;

/**
 * The headers of an ad e-mail's opt-out, for every e-mail vendor: `List-Unsubscribe: <url>` and
 * the one-click `List-Unsubscribe-Post` (RFC 8058), once the URL is known to be one plain URL.
 */
export function listUnsubscribeHeaders(url: string): { name: string; value: string }[] {
  if (!PLAIN_URL.test(url)) {
    throw new HeraldError('HERALD_INTERNAL', 'The unsubscribe link is not one plain http(s) URL', {
      vendorCode: 'UNSUBSCRIBE_URL',
    });
  }
  return [{ name: 'List-Unsubscribe', value: `<${url}>` }, { ...ONE_CLICK }];
}
