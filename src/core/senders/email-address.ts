import { checkRecipient } from '../content/recipients.ts';
import { hasLineBreakingControl } from '../content/rules/control-characters.ts';
import { HeraldError } from '../domain/errors.ts';

/**
 * The e-mail fields that become headers besides the subject: a sender's address and display name
 * (`From`), a request's `replyTo` (`Reply-To`). A CR or LF there would end the header and let the
 * value write headers of its own (Bcc:, a second body), so every control character, DEL and the
 * Unicode line and paragraph separators are refused first, with the header-injection code the
 * subject gets (HERALD_CONTROL_CHARACTER), before any trimming could hide them; then the address
 * must be one plain addr-spec (HERALD_INVALID_EMAIL, as a recipient's).
 */

/** Longest display name: well inside a header line (998) once RFC 2047-encoded. */
export const DISPLAY_NAME_MAX = 100;

/** One addr-spec, its domain lower case; throws naming `field`, never repeating the value. */
export function checkEmailAddress(raw: string, field: string): string {
  refuseHeaderBreaking(raw, field);
  const checked = checkRecipient('email', raw, field);
  if (!checked.ok) throw checked.error;
  return checked.value;
}

/** A From display name, trimmed; throws naming `field`. */
export function checkDisplayName(raw: string, field: string): string {
  refuseHeaderBreaking(raw, field);
  const name = raw.trim();
  if (name === '' || name.length > DISPLAY_NAME_MAX) {
    throw new HeraldError('HERALD_VALIDATION_FAILED', `${field} must be 1-${DISPLAY_NAME_MAX} characters`, {
      field,
    });
  }
  return name;
}

function refuseHeaderBreaking(raw: string, field: string): void {
  if (!hasLineBreakingControl(raw)) return;
  throw new HeraldError(
    'HERALD_CONTROL_CHARACTER',
    `${field} becomes a mail header, where a line break would end it and start headers of its own, ` +
      'so control characters, CR, LF and the Unicode line and paragraph separators are refused there: remove them',
    { field },
  );
}
