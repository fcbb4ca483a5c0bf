import type { SimulatedError } from '../vendor-error-catalogue.ts';

/**
 * What a simulated SENS fails with when its behaviour says so. SENS has no finer code than the
 * HTTP status in its error body ({status, errors, errorMessage}), so `code` is that status:
 * 500/503 fail the whole call as an outage; 400 refuses the request (SENS takes or refuses a
 * request whole).
 */
export const SENS_SMS_ERRORS: readonly SimulatedError[] = [
  { status: 500, code: '500', weight: 3 },
  { status: 503, code: '503', weight: 2 },
  { status: 400, code: '400', weight: 2 },
];

/**
 * AlimTalk adds per-message refusals in the 202 answer (messages[].requestStatusCode), here
 * Kakao's 3008 (phone number error) and 3016 (content does not match the template).
 */
export const SENS_ALIMTALK_ERRORS: readonly SimulatedError[] = [
  { status: 500, code: '500', weight: 3 },
  { status: 503, code: '503', weight: 1 },
  { status: 400, code: '3008', weight: 1 },
  { status: 400, code: '3016', weight: 1 },
];
