import { HeraldError } from '../../core/domain/errors.ts';
import { JsonHttpClient, type JsonResponse } from '../http1/json-http-client.ts';
import { mapTransportError } from '../map-transport-error.ts';
import { parseRetryAfterMs } from '../retry-after.ts';
import { solapiAuthorization } from './solapi-auth.ts';

/** herald's SOLAPI account: the API key and its secret (console: API Key 관리). */
export interface SolapiAccount {
  readonly apiKey: string;
  readonly apiSecret: string;
}

export interface SolapiApiOptions {
  readonly id: string;
  readonly account: SolapiAccount;
  /** https://api.solapi.com, or the simulator's `<sim>/<vendorId>`. */
  readonly baseUrl: string;
  readonly closeGraceMs?: number;
}

/**
 * The errors SOLAPI answers for a refused Authorization header, all HTTP 403 (SOLAPI docs
 * authentication/api-key.md): herald's key or secret is wrong, or its clock is off by more than 15
 * minutes. Not retried; the vendor's fault, so its breaker takes it out of rotation.
 */
export const SOLAPI_AUTH_ERRORS: ReadonlySet<string> = new Set([
  'InvalidAPIKey',
  'SignatureDoesNotMatch',
  'RequestTimeTooSkewed',
  'DuplicatedSignature',
]);

/** When SOLAPI throttles without a Retry-After, wait this long. */
const DEFAULT_RETRY_AFTER_MS = 1_000;

/**
 * One vendor's connection to SOLAPI's REST API: a keep-alive pool, a freshly signed Authorization
 * header on every call, and the HTTP-level errors mapped once for every endpoint (send, list,
 * storage, templates). Error bodies are `{errorCode, errorMessage}` (solapi-nodejs
 * src/errors/defaultError.ts isErrorResponse, src/lib/defaultFetcher.ts).
 */
export class SolapiApi {
  readonly id: string;
  readonly #account: SolapiAccount;
  readonly #client: JsonHttpClient;

  constructor(options: SolapiApiOptions) {
    this.id = options.id;
    this.#account = options.account;
    this.#client = new JsonHttpClient({
      baseUrl: options.baseUrl,
      ...(options.closeGraceMs === undefined ? {} : { closeGraceMs: options.closeGraceMs }),
    });
  }

  get apiKey(): string {
    return this.#account.apiKey;
  }

  /** The 2xx body, or a HeraldError for anything else (transport failures included). */
  async call(method: 'GET' | 'POST', path: string, json: unknown, signal: AbortSignal): Promise<unknown> {
    const headers = { authorization: solapiAuthorization(this.#account.apiKey, this.#account.apiSecret) };
    const response = await this.#client
      .request({ method, path, headers, signal, ...(json === undefined ? {} : { json }) })
      .catch((error: unknown) => {
        throw mapTransportError(this.id, error, signal);
      });
    if (response.status >= 200 && response.status < 300) return response.body;
    throw mapSolapiHttpError(this.id, response);
  }

  close(): Promise<void> {
    return this.#client.close();
  }
}

/** A non-2xx answer of SOLAPI as a HeraldError, by status and SOLAPI's errorCode. */
export function mapSolapiHttpError(vendorId: string, response: JsonResponse): HeraldError {
  const { errorCode, errorMessage } = errorBodyOf(response);
  const vendorCode = errorCode ?? `HTTP_${response.status}`;
  const detail = `SOLAPI ${vendorCode}${errorMessage ? `: ${errorMessage}` : ''}`;
  if (SOLAPI_AUTH_ERRORS.has(vendorCode) || response.status === 401 || response.status === 403) {
    return new HeraldError(
      'HERALD_VENDOR_AUTH',
      `Vendor ${vendorId} refused herald's credentials (${detail})`,
      {
        retryable: false,
        vendorFault: true,
        vendorCode,
      },
    );
  }
  if (response.status === 429) {
    return new HeraldError(
      'HERALD_VENDOR_RATE_LIMITED',
      `Vendor ${vendorId} asked to slow down (${detail})`,
      {
        retryable: true,
        vendorFault: false,
        vendorCode,
        retryAfterMs: parseRetryAfterMs(response.headers['retry-after']) ?? DEFAULT_RETRY_AFTER_MS,
      },
    );
  }
  if (response.status >= 500) {
    return new HeraldError('HERALD_VENDOR_UNAVAILABLE', `Vendor ${vendorId} failed (${detail})`, {
      retryable: true,
      vendorFault: true,
      vendorCode,
    });
  }
  return new HeraldError('HERALD_VENDOR_REJECTED', `Vendor ${vendorId} refused the call (${detail})`, {
    retryable: false,
    vendorFault: false,
    vendorCode,
  });
}

function errorBodyOf(response: JsonResponse): { errorCode?: string; errorMessage?: string } {
  const body = response.body as { errorCode?: unknown; errorMessage?: unknown } | undefined;
  if (typeof body !== 'object' || body === null) return {};
  return {
    ...(typeof body.errorCode === 'string' && body.errorCode !== '' ? { errorCode: body.errorCode } : {}),
    ...(typeof body.errorMessage === 'string'
      ? { errorMessage: redactNumbers(body.errorMessage).slice(0, 200) }
      : {}),
  };
}

/** SOLAPI's messages may quote the numbers they refuse; herald's logs never carry them in clear. */
export function redactNumbers(text: string): string {
  return text.replace(/\d{8,}/g, '<number>');
}
