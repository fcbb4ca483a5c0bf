import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * NAVER Cloud's API Gateway signature v2, which SENS requires on every call
 * (https://api.ncloud-docs.com/docs/common-ncpapi, "API Gateway signature"; vendor-contracts.md §4.C):
 *
 *   x-ncp-apigw-timestamp:    epoch ms (the gateway refuses one more than 5 minutes off)
 *   x-ncp-iam-access-key:     the access key id
 *   x-ncp-apigw-signature-v2: Base64(HmacSHA256(secretKey, "{METHOD} {URI}\n{timestamp}\n{accessKey}"))
 *
 * URI is the path with its query string as SENS' host sees it: at the simulator, without the
 * `/<vendorId>` prefix it is served under (JsonHttpClient.prefix).
 */
export const SENS_HEADERS = Object.freeze({
  timestamp: 'x-ncp-apigw-timestamp',
  accessKey: 'x-ncp-iam-access-key',
  signature: 'x-ncp-apigw-signature-v2',
});

/** How far a timestamp may be from the gateway's clock (common-ncpapi: 5 minutes). */
export const SENS_TIMESTAMP_WINDOW_MS = 5 * 60_000;

/** The string the gateway signs: method, space, URI; the timestamp; the access key. */
export function sensStringToSign(method: string, uri: string, timestamp: string, accessKey: string): string {
  return `${method} ${uri}\n${timestamp}\n${accessKey}`;
}

export function sensSignature(
  secretKey: string,
  method: string,
  uri: string,
  timestamp: string,
  accessKey: string,
): string {
  return createHmac('sha256', secretKey)
    .update(sensStringToSign(method, uri, timestamp, accessKey))
    .digest('base64');
}

/** The three auth headers of one call to `uri` (path and query, unprefixed). */
export function sensAuthHeaders(
  account: { readonly accessKey: string; readonly secretKey: string },
  method: string,
  uri: string,
  nowMs: number = Date.now(),
): Record<string, string> {
  const timestamp = String(nowMs);
  return {
    [SENS_HEADERS.timestamp]: timestamp,
    [SENS_HEADERS.accessKey]: account.accessKey,
    [SENS_HEADERS.signature]: sensSignature(account.secretKey, method, uri, timestamp, account.accessKey),
  };
}

/** Constant-time comparison of a received signature with the expected one (the simulator's check). */
export function sameSignature(received: string, expected: string): boolean {
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
