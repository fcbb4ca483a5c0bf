import type { OutboundMessage } from '../../core/domain/message.ts';
import type { SendReceipt, Vendor } from '../../ports/vendor.ts';
import { Http2Pool } from '../http2/http2-pool.ts';
import { type ApnsEnvironment, apnsEndpoint } from './apns-endpoint.ts';
import { type ApnsSenderContext, sendApnsPush } from './apns-sender.ts';
import { parseP8Key } from './p8-key.ts';
import { sharedProviderTokenSigner } from './provider-token-cache.ts';

export interface ApnsVendorOptions {
  readonly id: string;
  /** The 10-character Key ID of the .p8 key. */
  readonly keyId: string;
  /** The 10-character Team ID the key belongs to. */
  readonly teamId: string;
  /** The .p8 file's text (PKCS#8 PEM, EC P-256). Never logged; errors name only the vendor. */
  readonly privateKeyPem: string;
  /** Apple's production or sandbox host; a device token belongs to one of them. */
  readonly environment: ApnsEnvironment;
  /** Overrides the host (a simulator, a proxy); may end in a path prefix (`/<vendorId>`). */
  readonly baseUrl?: string;
  /** apns-topic (bundle id) for devices registered without an app. */
  readonly defaultTopic?: string;
  /** HTTP/2 connections at most (see Http2Pool). */
  readonly maxSessions?: number;
  /** How long close() lets calls in flight finish (default 2000 ms). */
  readonly closeGraceMs?: number;
  /** Age at which the provider token is renewed, ms (20..50 min; default 40 min). */
  readonly renewTokenAfterMs?: number;
  /** Epoch ms for the provider token's iat and age; for tests. */
  readonly now?: () => number;
}

/**
 * The APNs adapter (token-based auth): one POST /3/device/<token> per message over a pool of
 * HTTP/2 sessions, with an ES256 provider token shared by every adapter of the same key in the
 * process (provider-token-cache.ts), renewed every 20-50 min and once early when APNs refuses it.
 * Reads the key at creation: a bad key fails here (ApnsKeyError), not on the first message.
 */
export function createApnsVendor(options: ApnsVendorOptions): Vendor {
  const { id } = options;
  const endpoint = apnsEndpoint(options.environment, options.baseUrl);
  const tokens = sharedProviderTokenSigner({
    keyId: options.keyId,
    teamId: options.teamId,
    privateKey: parseP8Key(options.privateKeyPem, `the APNs key of vendor ${id}`),
    renewAfterMs: options.renewTokenAfterMs,
    now: options.now,
  });
  const pool = new Http2Pool({ origin: endpoint.origin, maxSessions: options.maxSessions, name: id });
  const context: ApnsSenderContext = {
    vendorId: id,
    pathPrefix: endpoint.pathPrefix,
    transport: pool,
    tokens,
    defaultTopic: options.defaultTopic,
  };
  let closing: Promise<void> | undefined;
  return {
    id,
    channels: ['push'],
    pushProvider: 'apns',
    send(message: OutboundMessage, signal: AbortSignal): Promise<SendReceipt> {
      return sendApnsPush(context, message, signal);
    },
    close(): Promise<void> {
      closing ??= pool.close(options.closeGraceMs);
      return closing;
    },
  };
}
