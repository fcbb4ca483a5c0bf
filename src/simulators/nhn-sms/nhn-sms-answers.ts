import { randomInt } from 'node:crypto';
import type { SimulatedError } from '../vendor-error-catalogue.ts';
import type { HttpAnswer } from '../wire-contract.ts';

/**
 * NHN Cloud SMS v3.0 answers as the simulator writes them. Every answer carries NHN's header
 * (SMSDOC `api-guide.md`): `{"header":{"isSuccessful","resultCode","resultMessage"}, "body":...}`.
 * NHN reports its refusals in that header, so they are HTTP 200 with isSuccessful false; only the
 * simulated outage (HTTP 500) and throttling (HTTP 429 with Retry-After) use the HTTP status.
 * Codes and messages from NHN's result-code page (SMSDOC `error-code.md`).
 */
export const NHN_MESSAGES: Readonly<Record<number, string>> = {
  0: 'SUCCESS',
  4: 'Parameter validation failed.',
  [-1000]: 'Invalid appKey.',
  [-1004]: 'Invalid secretKey.',
  [-2001]: 'RecipientList can not be null.',
  [-2002]: 'Invalid attach file name.',
  [-2003]: 'Attach file required jpg or jpeg.',
  [-2004]: 'File is expired or does not exist.',
  [-2005]: 'The file size must be greater than 0 and less than 300KB.',
  [-2014]: 'The recipient can not be empty.', // sic: NHN's text for an empty title or body
  [-2015]: 'Title or Body exceed maximum byte.',
  [-2016]: 'The max recipient size is 1000.',
  [-2018]: 'RecipientNo can not be empty.',
  [-2019]: 'RecipientNo is invalid.',
  [-2021]: 'System error. Failed insert queue.',
  [-2023]: 'Unacceptable characters in title and body.',
  [-2312]: 'Not regist sendno.',
  [-6003]: 'The body must contain block guide ment.',
  [-9996]: 'Only application/json Content-type is supported.',
  [-9997]: 'Invalid API parameters.',
  [-9998]: 'Not exist API.',
  [-9999]: 'System error.',
};

/**
 * The errors the nhn-sms simulator's behaviour picks from, in NHN's codes: 5xx entries fail the
 * whole call as NHN's outage (HTTP 500, -9999 system error / -2021 queue insert failed), 4xx
 * entries refuse one recipient in its sendResultList entry (-2019 invalid number, -2023
 * characters outside EUC-KR).
 */
export const NHN_SMS_ERRORS: readonly SimulatedError[] = [
  { status: 500, code: '-9999', weight: 3 },
  { status: 503, code: '-2021', weight: 1 },
  { status: 400, code: '-2019', weight: 3 },
  { status: 400, code: '-2023', weight: 1 },
];

export function nhnHeader(resultCode: number, resultMessage?: string) {
  return {
    isSuccessful: resultCode === 0,
    resultCode,
    resultMessage: resultMessage ?? NHN_MESSAGES[resultCode] ?? 'Failed.',
  };
}

/** A whole call refused: HTTP 200 and NHN's header with the code (auth, validation...). */
export function nhnRefusal(resultCode: number, resultMessage?: string): HttpAnswer {
  return { status: 200, body: { header: nhnHeader(resultCode, resultMessage) } };
}

/** A successful answer around `data`. */
export function nhnSuccess(data: unknown): HttpAnswer {
  return { status: 200, body: { header: nhnHeader(0), body: { data } } };
}

/** NHN's outage: HTTP 500 with its header (a simulated 5xx error's code, else -9999). */
export function nhnOutage(code: string): HttpAnswer {
  const resultCode = Number.isInteger(Number(code)) ? Number(code) : -9999;
  return { status: 500, body: { header: nhnHeader(resultCode) } };
}

/** Throttled: 429 and Retry-After in whole seconds, rounded up so an obedient client finds a token. */
export function nhnThrottled(retryAfterMs: number): HttpAnswer {
  return {
    status: 429,
    headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1_000))) },
    body: { header: nhnHeader(-9999, 'Too many requests.') },
  };
}

const REQUEST_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A requestId shaped like NHN's (`20180810100630ReZQ6KZzAH0`: yyyyMMddHHmmss + 11 characters). */
export function nhnRequestId(now: number): string {
  const stamp = new Date(now + 9 * 3_600_000).toISOString().replace(/\D/g, '').slice(0, 14);
  const tail = Array.from(
    { length: 11 },
    () => REQUEST_ID_ALPHABET[randomInt(REQUEST_ID_ALPHABET.length)],
  ).join('');
  return `${stamp}${tail}`;
}
