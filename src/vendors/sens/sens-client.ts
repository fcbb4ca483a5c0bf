import { HeraldError } from '../../core/domain/errors.ts';
import { JsonHttpClient, type JsonResponse } from '../http1/json-http-client.ts';
import { mapTransportError } from '../map-transport-error.ts';
import { parseRetryAfterMs } from '../retry-after.ts';
import { sensAuthHeaders } from './sens-signature.ts';

/** herald's account at SENS: access key id, secret key and the project's service id. */
export interface SensAccount {
  readonly accessKey: string;
  readonly secretKey: string;
  readonly serviceId: string;
}

export interface SensClientOptions {
  readonly vendorId: string;
  /** https://sens.apigw.ntruss.com, or `<simulator>/<vendorId>`. */
  readonly baseUrl: string;
  readonly account: SensAccount;
  /** Epoch ms the timestamps are taken from (tests move it). */
  readonly now?: () => number;
}

/**
 * SENS has no per-message custom field, so herald's message ids ride in this header (comma
 * separated, in message order): the real SENS ignores it, the simulator counts by it.
 */
export const HERALD_MESSAGE_ID_HEADER = 'x-herald-message-id';

/** Retry-After is not promised by NAVER's gateway: without it, wait a second (its quotas are per second). */
const DEFAULT_RETRY_AFTER_MS = 1_000;

/**
 * One SENS project's HTTP/1.1 client: signs every call (sens-signature.ts) over the URI as SENS'
 * host sees it, and turns any answer that is not 2xx into a HeraldError the SENS way:
 *
 *   401/403 {"error":{"errorCode":"200"|"210"|"230","message":"Authentication Failed",...}}
 *           (API Gateway, common-ncpapi)                      -> HERALD_VENDOR_AUTH, the vendor's fault
 *   429     gateway 400/410/420 or SENS "Too Many Requests"   -> HERALD_VENDOR_RATE_LIMITED
 *   5xx     SENS or gateway 500/510/900                       -> HERALD_VENDOR_UNAVAILABLE
 *   4xx     {"status","errors","errorMessage"} (SENS send doc) -> HERALD_VENDOR_REJECTED
 */
export class SensClient {
  readonly vendorId: string;
  readonly serviceId: string;
  readonly #http: JsonHttpClient;
  readonly #account: SensAccount;
  readonly #now: () => number;

  constructor(options: SensClientOptions) {
    this.vendorId = options.vendorId;
    this.serviceId = options.account.serviceId;
    this.#account = options.account;
    this.#http = new JsonHttpClient({ baseUrl: options.baseUrl });
    this.#now = options.now ?? Date.now;
  }

  /** `path` is SENS' own (`/sms/v2/services/...`), percent-encoded, query included. */
  async call(
    method: 'GET' | 'POST',
    path: string,
    signal: AbortSignal,
    options: { json?: unknown; headers?: Readonly<Record<string, string>> } = {},
  ): Promise<JsonResponse> {
    let response: JsonResponse;
    try {
      response = await this.#http.request({
        method,
        path,
        headers: { ...options.headers, ...sensAuthHeaders(this.#account, method, path, this.#now()) },
        signal,
        ...(options.json === undefined ? {} : { json: options.json }),
      });
    } catch (error) {
      throw mapTransportError(this.vendorId, error, signal);
    }
    if (response.status >= 200 && response.status < 300) return response;
    throw sensErrorOf(this.vendorId, response, this.#now());
  }

  /** The service's base path: `/sms/v2/services/{serviceId}` or `/alimtalk/v2/services/{serviceId}`. */
  servicePath(api: 'sms' | 'alimtalk'): string {
    // Colons stay as the docs' examples write them (ncp:sms:kr:...): the gateway signs the URI as sent.
    return `/${api}/v2/services/${encodeURIComponent(this.serviceId).replaceAll('%3A', ':')}`;
  }

  close(): Promise<void> {
    return this.#http.close();
  }
}

/** A non-2xx SENS answer as a HeraldError; classified by status and the gateway's code, never by text. */
export function sensErrorOf(
  vendorId: string,
  response: JsonResponse,
  nowMs: number = Date.now(),
): HeraldError {
  const { status } = response;
  const vendorCode = vendorCodeOf(response.body) ?? String(status);
  if (status === 401 || status === 403) {
    return new HeraldError(
      'HERALD_VENDOR_AUTH',
      `Vendor ${vendorId} refused herald's credentials (HTTP ${status})`,
      {
        retryable: false,
        vendorFault: true,
        vendorCode,
      },
    );
  }
  if (status === 429) {
    return new HeraldError('HERALD_VENDOR_RATE_LIMITED', `Vendor ${vendorId} asked to slow down`, {
      retryable: true,
      retryAfterMs: parseRetryAfterMs(response.headers['retry-after'], nowMs) ?? DEFAULT_RETRY_AFTER_MS,
      vendorCode,
    });
  }
  if (status >= 500 || status === 408 || status < 400) {
    return new HeraldError('HERALD_VENDOR_UNAVAILABLE', `Vendor ${vendorId} failed with HTTP ${status}`, {
      retryable: true,
      vendorFault: true,
      vendorCode,
    });
  }
  return new HeraldError('HERALD_VENDOR_REJECTED', `Vendor ${vendorId} refused the call (HTTP ${status})`, {
    retryable: false,
    vendorCode,
  });
}

/** The gateway's `error.errorCode`, else SENS' `status`. */
function vendorCodeOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const gateway = (body as { error?: { errorCode?: unknown } }).error?.errorCode;
  if (typeof gateway === 'string' || typeof gateway === 'number') return String(gateway);
  const status = (body as { status?: unknown }).status;
  return typeof status === 'string' || typeof status === 'number' ? String(status) : undefined;
}
