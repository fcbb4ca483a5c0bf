import type { Channel } from '../domain/channel.ts';
import { HeraldError } from '../domain/errors.ts';
import type { Checked } from './checked.ts';
import { accept, reject } from './checked.ts';

/**
 * Recipient (`to`) normalisation and validation per channel. The normalised form is what the
 * message key hashes, so `010-1234-5678` and `+82 10 1234 5678` are the same recipient.
 * Error messages name the field and say what is allowed; they never repeat the value (personal data).
 */

/** Korean mobile numbers: 010 (and the legacy 011/016/017/018/019) plus 7-8 digits. */
const MOBILE = /^01[016789]\d{7,8}$/;
/**
 * Numbers a voice call can reach besides mobiles: Seoul 02, the regional area codes 031-064
 * (0[3-6][1-5]) and internet phones 070.
 */
const LANDLINE = /^(?:02\d{7,8}|0[3-6][1-5]\d{7,8}|070\d{8})$/;
/** Characters people put between digits; anything else makes the number invalid. */
const PHONE_SEPARATORS = /[\s\-.()]/g;

export function normalisePhone(raw: string): string | undefined {
  const compact = raw.replace(PHONE_SEPARATORS, '');
  // International form: +82 drops the leading 0 of the national number (+82 10 = 010).
  // Some people keep it (+82 010...), which is accepted too.
  const international = /^(?:\+|00)82(\d+)$/.exec(compact);
  const national = international ? `0${international[1]!.replace(/^0/, '')}` : compact;
  return /^\d{9,11}$/.test(national) ? national : undefined;
}

function checkPhone(raw: string, channel: Channel, field: string): Checked<string> {
  const phone = normalisePhone(raw);
  const landlineAllowed = channel === 'vms';
  if (phone && (MOBILE.test(phone) || (landlineAllowed && LANDLINE.test(phone)))) {
    return accept(phone);
  }
  const allowed = landlineAllowed
    ? 'a Korean mobile number (01X plus 7-8 digits) or landline (02, 031-064, 070)'
    : 'a Korean mobile number (010, 011, 016-019 followed by 7-8 digits, e.g. 01012345678)';
  return reject(
    new HeraldError(
      'HERALD_INVALID_PHONE',
      `${field} must be ${allowed}; hyphens, spaces and a +82 prefix are accepted`,
      { field },
    ),
  );
}

/** RFC 5321 limits: 64 octets of local part, 255 of domain, 254 for the whole path in practice. */
const EMAIL_MAX = 254;
const LOCAL_PART_MAX = 64;
/** Dot-atom local part (RFC 5322 atext); quoted local parts are legal but no relay we use takes them. */
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
/** LDH labels of 1-63 characters, at least two labels, a top-level label that is not all digits. */
const DOMAIN_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

function checkEmail(raw: string, field: string): Checked<string> {
  const address = raw.trim();
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  // Domains are case-insensitive; lower-casing them makes Kim@Example.com and Kim@example.com one
  // recipient. The local part is case-sensitive by the RFC, so it is kept as given.
  const domain = address.slice(at + 1).toLowerCase();
  const labels = domain.split('.');
  const valid =
    at > 0 &&
    address.length <= EMAIL_MAX &&
    local.length <= LOCAL_PART_MAX &&
    LOCAL_PART.test(local) &&
    labels.length >= 2 &&
    labels.every((label) => DOMAIN_LABEL.test(label)) &&
    !/^\d+$/.test(labels.at(-1)!);
  if (valid) {
    return accept(`${local}@${domain}`);
  }
  return reject(
    new HeraldError(
      'HERALD_INVALID_EMAIL',
      `${field} must be an e-mail address like name@example.com (at most ${EMAIL_MAX} characters, ` +
        `local part at most ${LOCAL_PART_MAX}; international domains in punycode, xn--)`,
      { field },
    ),
  );
}

export const DEVICE_TOKEN_MAX = 4096;
/** FCM registration tokens and APNs device tokens are printable ASCII without spaces. */
const DEVICE_TOKEN = /^[\x21-\x7E]+$/;

function checkDeviceToken(raw: string, field: string): Checked<string> {
  if (raw.length > 0 && raw.length <= DEVICE_TOKEN_MAX && DEVICE_TOKEN.test(raw)) {
    return accept(raw);
  }
  return reject(
    new HeraldError(
      'HERALD_INVALID_DEVICE_TOKEN',
      `${field} must be a device token (FCM registration token or APNs device token): ` +
        `1-${DEVICE_TOKEN_MAX} printable ASCII characters without whitespace`,
      { field },
    ),
  );
}

/** The normalised recipient for `channel`, or the error naming `field` (e.g. `recipients[51].to`). */
export function checkRecipient(channel: Channel, to: string, field: string): Checked<string> {
  switch (channel) {
    case 'push':
      return checkDeviceToken(to, field);
    case 'email':
      return checkEmail(to, field);
    case 'sms':
    case 'lms':
    case 'mms':
    case 'alimtalk':
    case 'vms':
      return checkPhone(to, channel, field);
  }
}
