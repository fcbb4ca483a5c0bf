import { HeraldError } from '../domain/errors.ts';

/**
 * What a Korean sender number (발신번호) looks like, after the separators people type are dropped:
 * mobiles 010/011/016-019, Seoul 02 and the area codes 031-064, internet phones 070, personal
 * numbers 050X, toll-free 080, and the 8-digit representative numbers 15XX/16XX/18XX (대표번호).
 * These are the Korean numbering plan's forms a sender number takes (전기통신사업법 §84의2 requires
 * it registered, not any one form); a vendor refuses a number it has not registered, so herald
 * refuses other shapes at registration and at the API rather than at the vendor.
 */
const SENDER_NUMBER =
  /^(?:01[016789]\d{7,8}|02\d{7,8}|0[3-6][1-5]\d{7,8}|070\d{8}|050\d{8,9}|080\d{7,8}|1[568]\d{6})$/;

/** Characters people put between digits (02-1234-5678, (02) 1234 5678, 1588.1234). */
const SEPARATORS = /[\s\-.()]/g;

/** The number as digits only, or undefined when it is not a sender number's shape. */
export function normaliseSenderNumber(raw: string): string | undefined {
  const digits = raw.replace(SEPARATORS, '');
  return SENDER_NUMBER.test(digits) ? digits : undefined;
}

/** The digits, or 400 HERALD_VALIDATION_FAILED naming the field (never repeating the value). */
export function checkSenderNumber(raw: string, field: string): string {
  const number = normaliseSenderNumber(raw);
  if (number !== undefined) return number;
  throw new HeraldError(
    'HERALD_VALIDATION_FAILED',
    `${field} must be a Korean sender number: 010/011/016-019, 02, 031-064, 070, 050X or 080 with ` +
      '7-8 more digits, or a representative number 15XX/16XX/18XX-XXXX; hyphens, spaces and dots are accepted',
    { field },
  );
}
