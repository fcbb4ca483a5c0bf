import type { DeliveryCheck } from '../../ports/vendor.ts';
import { parseSensTime } from './sens-text.ts';

/**
 * Kakao's codes where the recipient may still be reached by SMS/LMS: 3018 cannot be delivered
 * now (inactive, no device), 3019 not a KakaoTalk user, 3020 blocked the channel's AlimTalk.
 */
const FALLBACK_CODES: ReadonlySet<string> = new Set(['3018', '3019', '3020']);

/**
 * One AlimTalk result as SENS' look-up reports it (https://api.ncloud-docs.com/docs/sens-alimtalk-get,
 * GET /alimtalk/v2/services/{serviceId}/messages/{messageId}):
 *
 *   {"messageId","requestTime","completeTime"?,"requestStatusCode":"A000",...,
 *    "messageStatusCode"?: "0000" | "3019" | ..., "messageStatusName"?, "messageStatusDesc"?}
 *
 * No messageStatusCode yet: Kakao has not answered (pending). "0000" delivered; 3018/3019/3020
 * undelivered with the fallback; any other code undelivered for good. A request refused at SENS
 * (requestStatusCode other than A000) never reached Kakao: undelivered, no fallback.
 */
export function deliveryCheckOf(body: unknown, nowMs: number): DeliveryCheck {
  const result = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const at = parseSensTime(result.completeTime) ?? nowMs;
  const requestCode = stringOf(result.requestStatusCode);
  if (requestCode !== undefined && requestCode !== 'A000') {
    const message = stringOf(result.requestStatusDesc) ?? stringOf(result.requestStatusName) ?? 'refused';
    return { state: 'undelivered', at, code: requestCode, message, fallback: false };
  }
  const code = stringOf(result.messageStatusCode);
  if (code === undefined || code === '') return { state: 'pending' };
  if (code === '0000') return { state: 'delivered', at, code };
  const message = stringOf(result.messageStatusDesc) ?? stringOf(result.messageStatusName) ?? 'not delivered';
  return { state: 'undelivered', at, code, message, fallback: FALLBACK_CODES.has(code) };
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}
