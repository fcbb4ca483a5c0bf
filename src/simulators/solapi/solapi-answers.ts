import type { HttpAnswer } from '../wire-contract.ts';

/** SOLAPI's error body: `{errorCode, errorMessage}` (solapi-nodejs src/errors/defaultError.ts). */
export function solapiError(status: number, errorCode: string, errorMessage: string): HttpAnswer {
  return { status, body: { errorCode, errorMessage } };
}

export function solapiOk(body: unknown): HttpAnswer {
  return { status: 200, body };
}

const ALNUM_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * An id shaped like SOLAPI's: a prefix (M4V message, G4V group), the time to the second and 15
 * random characters (`M4V20180307110044DTYYJBBYLPQZIB1`, docs getMessageList.md).
 */
export function solapiId(prefix: string, now: number): string {
  const stamp = new Date(now).toISOString().replace(/\D/g, '').slice(0, 14);
  let tail = '';
  for (let i = 0; i < 15; i += 1) tail += ALNUM_UPPER[Math.floor(Math.random() * ALNUM_UPPER.length)];
  return `${prefix}${stamp}${tail}`;
}
