import type { Channel } from '../domain/channel.ts';
import { HeraldError } from '../domain/errors.ts';
import type { TextLimit } from './channel-limits.ts';
import { measureText } from './channel-limits.ts';
import type { TemplateVars } from './placeholders.ts';

/**
 * The HTML part of an e-mail (`content.html`): the client's markup, taken as written (it is the
 * client's own mail), with `#{var}` values HTML-escaped as they are put in, so a recipient's name
 * like `<script>` or `Kim & Lee` is shown as text and can never become markup. Its size is
 * measured once rendered, as the body's is: 512 KiB of UTF-8 like the text part, which keeps the
 * whole message inside every relay's and SES' size limits (SES: 40 MB; common relays 10-25 MB).
 */
export const EMAIL_HTML_LIMIT: TextLimit = { max: 512 * 1024, unit: 'UTF-8 bytes' };

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text as HTML character data or a quoted attribute value: the five significant characters escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}

/** The recipient's values as they go into the HTML part. */
export function escapedVars(vars: TemplateVars): TemplateVars {
  return Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, escapeHtml(value)]));
}

/** `content.html` on a channel other than e-mail: 400. */
export function checkHtmlChannel(channel: Channel, source: string): void {
  if (channel === 'email') return;
  throw new HeraldError(
    'HERALD_VALIDATION_FAILED',
    `${source}.html is the HTML part of an e-mail; ${channel} messages have none: leave it out`,
    { field: `${source}.html` },
  );
}

/** The rendered HTML part's size, or HERALD_BODY_TOO_LONG naming it. */
export function checkHtmlSize(html: string, where: string): void {
  const size = measureText(html, EMAIL_HTML_LIMIT.unit);
  if (size <= EMAIL_HTML_LIMIT.max) return;
  throw htmlTooLong(size, where);
}

export function htmlTooLong(size: number, where: string): HeraldError {
  return new HeraldError(
    'HERALD_BODY_TOO_LONG',
    `${where} is ${size} ${EMAIL_HTML_LIMIT.unit}; the HTML part of an e-mail allows at most ${EMAIL_HTML_LIMIT.max}`,
    { field: 'content.html' },
  );
}
