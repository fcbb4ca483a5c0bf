import { createHmac, timingSafeEqual } from 'node:crypto';
import { parseSolapiAuthorization } from '../../vendors/solapi/solapi-auth.ts';
import type { TextSimulation } from '../text/text-simulation.ts';
import type { HttpAnswer } from '../wire-contract.ts';
import { solapiError } from './solapi-answers.ts';

/** SOLAPI refuses a date this far from its clock, and a signature seen again within it. */
export const SOLAPI_DATE_WINDOW_MS = 15 * 60_000;

/** Salt length SOLAPI asks for (authentication/api-key.md: 12 ~ 64 bytes). */
const SALT_MIN = 12;
const SALT_MAX = 64;

/** Signatures each simulation has seen, with when they may be forgotten. */
const SEEN = new WeakMap<TextSimulation, Map<string, number>>();

/**
 * Checks a call's Authorization header the way SOLAPI does (docs authentication/api-key.md), all
 * refusals HTTP 403: InvalidAPIKey (not herald's key at this vendor), SignatureDoesNotMatch
 * (HMAC of date + salt with the API secret, hex; HMAC-MD5 also accepted), RequestTimeTooSkewed
 * (date more than 15 minutes off), DuplicatedSignature (the same signature within 15 minutes).
 * Returns undefined when the call may go on.
 */
export function checkSolapiAuth(
  vendorId: string,
  header: string | string[] | undefined,
  text: TextSimulation,
): HttpAnswer | undefined {
  const trust = Object.hasOwn(text.trust, vendorId) ? text.trust[vendorId] : undefined;
  const parts = parseSolapiAuthorization(typeof header === 'string' ? header : undefined);
  if (parts === undefined) {
    return solapiError(
      403,
      'InvalidAPIKey',
      'Authorization 헤더가 올바르지 않습니다 (HMAC-SHA256 apiKey=, date=, salt=, signature=)',
    );
  }
  if (trust === undefined || !trust.kind.startsWith('solapi') || parts.apiKey !== trust.accountId) {
    return solapiError(403, 'InvalidAPIKey', '유효한 API Key가 아닙니다');
  }
  const algorithm = parts.algorithm === 'HMAC-MD5' ? 'md5' : 'sha256';
  const expected = createHmac(algorithm, trust.secret)
    .update(parts.date + parts.salt)
    .digest();
  const given = Buffer.from(parts.signature, 'hex');
  const saltBytes = Buffer.byteLength(parts.salt);
  if (
    saltBytes < SALT_MIN ||
    saltBytes > SALT_MAX ||
    given.length !== expected.length ||
    !/^[0-9a-fA-F]+$/.test(parts.signature) ||
    !timingSafeEqual(given, expected)
  ) {
    return solapiError(403, 'SignatureDoesNotMatch', '생성한 Signature가 일치하지 않습니다');
  }
  const now = text.now();
  const at = Date.parse(parts.date);
  if (Number.isNaN(at) || Math.abs(now - at) > SOLAPI_DATE_WINDOW_MS) {
    return solapiError(403, 'RequestTimeTooSkewed', '시간 값이 서버 시간을 15분 이상 벗어났습니다');
  }
  const seen = seenSignatures(text, now);
  const key = `${vendorId}\u0000${parts.signature.toLowerCase()}`;
  if (seen.has(key)) {
    return solapiError(403, 'DuplicatedSignature', '15분 안에 동일한 signature 값이 사용되었습니다');
  }
  seen.set(key, now + SOLAPI_DATE_WINDOW_MS);
  return undefined;
}

/** The simulation's seen signatures, expired ones dropped now and then (a 100k-message drill). */
function seenSignatures(text: TextSimulation, now: number): Map<string, number> {
  let seen = SEEN.get(text);
  if (seen === undefined) {
    seen = new Map();
    SEEN.set(text, seen);
  }
  if (seen.size > 0 && seen.size % 10_000 === 0) {
    for (const [key, until] of seen) if (until <= now) seen.delete(key);
  }
  return seen;
}
