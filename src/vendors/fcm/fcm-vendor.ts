import { HeraldError } from '../../core/domain/errors.ts';
import type { OutboundMessage } from '../../core/domain/message.ts';
import type { SendReceipt, Vendor } from '../../ports/vendor.ts';
import { Http2Pool } from '../http2/http2-pool.ts';
import { mapTransportError } from '../map-transport-error.ts';
import { sharedAccessTokenSource } from './access-token-cache.ts';
import { buildFcmRequest } from './fcm-request.ts';
import { mapFcmReply, UNAUTHENTICATED } from './fcm-response.ts';
import { GOOGLE_TOKEN_URL } from './oauth-assertion.ts';
import type { ServiceAccount } from './service-account.ts';

export interface FcmVendorOptions {
  readonly id: string;
  /** The parsed key file (parseServiceAccount). */
  readonly serviceAccount: ServiceAccount;
  /** Defaults to the service account's project. */
  readonly projectId?: string;
  /** Defaults to https://fcm.googleapis.com; may end in a path prefix (the simulator's `/<vendorId>`). */
  readonly baseUrl?: string;
  /** Defaults to the key file's token_uri, else https://oauth2.googleapis.com/token. */
  readonly tokenUrl?: string;
  /** HTTP/2 connections at most (see Http2Pool). */
  readonly maxSessions?: number;
  /** How long close() lets calls in flight finish (default 2000 ms). */
  readonly closeGraceMs?: number;
}

const FCM_BASE_URL = 'https://fcm.googleapis.com';

/**
 * The FCM HTTP v1 adapter: one `messages:send` per message over a pool of HTTP/2 sessions, with an
 * OAuth2 access token from the service account, shared process-wide (access-token-cache.ts).
 * A 401 drops the token and tries once more with a fresh one; a second 401 makes the call fail
 * as the vendor's fault (HERALD_VENDOR_UNAVAILABLE), so its breaker takes it out of rotation.
 */
export function createFcmVendor(options: FcmVendorOptions): Vendor {
  const { id, serviceAccount } = options;
  const base = new URL(options.baseUrl ?? FCM_BASE_URL);
  const prefix = base.pathname.replace(/\/+$/, '');
  const path = `${prefix}/v1/projects/${encodeURIComponent(options.projectId ?? serviceAccount.projectId)}/messages:send`;
  const tokens = sharedAccessTokenSource(
    serviceAccount,
    options.tokenUrl ?? serviceAccount.tokenUri ?? GOOGLE_TOKEN_URL,
  );
  const pool = new Http2Pool({ origin: base.origin, maxSessions: options.maxSessions, name: id });
  let closing: Promise<void> | undefined;

  /** One try: a (cached) token and the call; a token FCM refused is dropped for every lane. */
  const attempt = async (body: string, signal: AbortSignal): Promise<ReturnType<typeof mapFcmReply>> => {
    const token = await tokens.token(signal).catch((error: unknown) => {
      throw mapTransportError(id, error, signal);
    });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=UTF-8' };
    const reply = await pool.request({ path, headers, body, signal }).catch((error: unknown) => {
      throw mapTransportError(id, error, signal);
    });
    const result = mapFcmReply(id, reply);
    if (result === UNAUTHENTICATED) tokens.invalidate(token);
    return result;
  };

  return {
    id,
    channels: ['push'],
    pushProvider: 'fcm',
    async send(message: OutboundMessage, signal: AbortSignal): Promise<SendReceipt> {
      const body = JSON.stringify(buildFcmRequest(message, Date.now()));
      let result = await attempt(body, signal);
      if (result === UNAUTHENTICATED) {
        result = await attempt(body, signal);
        if (result === UNAUTHENTICATED) throw refusedTwice(id);
      }
      if (result instanceof HeraldError) throw result;
      return result;
    },
    close(): Promise<void> {
      closing ??= pool.close(options.closeGraceMs);
      return closing;
    },
  };
}

function refusedTwice(id: string): HeraldError {
  return new HeraldError('HERALD_VENDOR_UNAVAILABLE', `FCM (${id}) refused a freshly issued access token`, {
    retryable: true,
    vendorCode: 'UNAUTHENTICATED',
    vendorFault: true,
  });
}
