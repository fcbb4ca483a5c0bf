import { HeraldError } from '../../core/domain/errors.ts';

/**
 * NHN Cloud SMS v3.0 API result codes (`header.resultCode`, `sendResultList[].resultCode`), as
 * NHN's result-code page lists them (docs.nhncloud.com Notification > SMS > Result Code,
 * SMSDOC `error-code.md`), classified into herald's codes. Classified by code, never by text.
 */

/** Success. */
export const NHN_SUCCESS = 0;

/**
 * The account cannot send at all: appKey invalid (-1000), unknown (-1001), disabled (-1002),
 * not a project member (-1003), IP not allowed (-1004), invalid member (-1007), project blocked
 * (-1008). The SMS table has no row of its own for a wrong X-Secret-Key; NHN Cloud's other
 * notification products answer it with -1004 `Invalid secretKey.` (Email error-code page), which
 * this set covers. Every message would fail alike: HERALD_VENDOR_AUTH, the vendor's fault.
 */
const AUTH_CODES: ReadonlySet<number> = new Set([-1000, -1001, -1002, -1003, -1004, -1007, -1008]);

/** NHN failed: system error (-9999), queue insert failed (-2021), attach upload failed (-2009, -2010). */
const OUTAGE_CODES: ReadonlySet<number> = new Set([-9999, -2021, -2009, -2010]);

/**
 * The account's sending is blocked for now, whatever the message: monthly organisation cap
 * (-2052; default 5,000 a month), total block indicator (-2047), conversion-rate block (-2051).
 * Another vendor can take the message, so it is retryable and counts against this one's breaker.
 */
const ACCOUNT_BLOCKED_CODES: ReadonlySet<number> = new Set([-2052, -2047, -2051]);

/** Recipient number empty (-2018) or invalid (-2019). */
const RECIPIENT_CODES: ReadonlySet<number> = new Set([-2018, -2019]);

/** Sender number (sendNo) empty or not registered (-2312), or blocked (-2313). */
const SENDER_CODES: ReadonlySet<number> = new Set([-2312, -2313]);

/** The attached file expired or does not exist (-2004): upload it again. */
export const NHN_FILE_GONE = -2004;

/**
 * Herald's error for an NHN result code other than 0. Everything not named above (validation 4,
 * -2014 empty title/body, -2015 over the byte limit, -2016 over 1,000 recipients, -2023
 * characters outside EUC-KR, -2024 LMS/MMS abroad, -6001 recipient opted out at NHN's 080
 * service, -6003 no opt-out text in an ad, -9996/-9997 a malformed call...) refuses this
 * message for good.
 */
export function nhnError(vendorId: string, code: number, resultMessage: string): HeraldError {
  const vendorCode = String(code);
  const said = `NHN SMS (${vendorId}) answered ${code}${resultMessage ? ` ${resultMessage}` : ''}`;
  if (AUTH_CODES.has(code)) {
    return new HeraldError('HERALD_VENDOR_AUTH', `${said}: its appKey or secret key is refused`, {
      vendorCode,
      vendorFault: true,
    });
  }
  if (OUTAGE_CODES.has(code) || ACCOUNT_BLOCKED_CODES.has(code)) {
    return new HeraldError('HERALD_VENDOR_UNAVAILABLE', said, {
      retryable: true,
      vendorCode,
      vendorFault: true,
    });
  }
  if (RECIPIENT_CODES.has(code)) {
    return new HeraldError('HERALD_RECIPIENT_INVALID', `${said}: the recipient number is invalid`, {
      vendorCode,
    });
  }
  if (SENDER_CODES.has(code)) {
    return new HeraldError(
      'HERALD_SENDER_NOT_REGISTERED',
      `${said}: the sender number is not registered (or is blocked) at this vendor`,
      { vendorCode },
    );
  }
  return new HeraldError('HERALD_VENDOR_REJECTED', `${said}: the message is refused`, { vendorCode });
}
