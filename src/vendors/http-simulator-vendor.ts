import { type Dispatcher, Pool } from 'undici';
import type { Channel } from '../core/domain/channel.ts';
import { HeraldError } from '../core/domain/errors.ts';
import type { OutboundMessage } from '../core/domain/message.ts';
import type { PushProvider } from '../core/domain/push-provider.ts';
import type { SendReceipt, Vendor } from '../ports/vendor.ts';
import { closePool } from './http1/json-http-client.ts';
import { mapSimulatorResponse, type SimulatorResponse } from './map-simulator-response.ts';
import { mapTransportError } from './map-transport-error.ts';

export interface SimulatorVendorOptions {
  readonly id: string;
  readonly channels: readonly Channel[];
  /** For a push vendor: the push service it stands for (see Vendor.pushProvider). */
  readonly pushProvider?: PushProvider;
  /** The simulator's URL, e.g. http://127.0.0.1:9100 (a path prefix is kept). */
  readonly baseUrl: string;
  /**
   * A connection pool shared with other vendors; its owner closes it. Without one, the vendor
   * opens its own keep-alive pool to the simulator and closes it in close().
   */
  readonly dispatcher?: Dispatcher;
  /** Size of the vendor's own pool (default 256; calls beyond it queue in the pool). */
  readonly connections?: number;
  /** How long close() lets calls in flight finish before cutting them off (default 2000 ms). */
  readonly closeGraceMs?: number;
}

/**
 * Enough that a lane's calls never queue inside the pool (a lane's default sendConcurrency is at
 * most 200, and undici opens connections only as calls need them): time spent waiting for a
 * connection would count against the vendor's time limit and breaker for a delay that is ours.
 * Measured (bench pipelineVsNaive, 50 ms vendor): 64 connections capped the batch lane at ~1,300
 * msgs/s, 256 gave ~1,700 (then CPU-bound); a burst of new connections is slow on loopback (600
 * concurrent first calls over 768 new connections took up to 3.6 s), still inside the 5 s limit.
 */
const DEFAULT_CONNECTIONS = 256;
/**
 * The pipeline aborts its calls before it closes vendors, so close() normally finds nothing in
 * flight; the grace only bounds shutdown when a call was started without a working time limit.
 */
const DEFAULT_CLOSE_GRACE_MS = 2_000;

/**
 * A Vendor that sends through the simulator's generic contract over HTTP/1.1 keep-alive. One
 * message per call, the message's idempotency key as Idempotency-Key, the caller's AbortSignal as
 * the only time limit. See map-simulator-response.ts for the wire format and its mapping.
 */
export function createSimulatorVendor(options: SimulatorVendorOptions): Vendor {
  const { id } = options;
  const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  const target = new URL(`vendors/${encodeURIComponent(id)}/messages`, base);
  const ownPool =
    options.dispatcher === undefined
      ? new Pool(target.origin, { connections: options.connections ?? DEFAULT_CONNECTIONS })
      : undefined;
  const dispatcher: Dispatcher = options.dispatcher ?? ownPool!;
  let closing: Promise<void> | undefined;

  return {
    id,
    channels: options.channels,
    ...(options.pushProvider ? { pushProvider: options.pushProvider } : {}),
    async send(message: OutboundMessage, signal: AbortSignal): Promise<SendReceipt> {
      const response = await post(dispatcher, target, message, signal).catch((error: unknown) => {
        throw mapTransportError(id, error, signal);
      });
      const result = mapSimulatorResponse(id, response);
      if (result instanceof HeraldError) throw result;
      return result;
    },
    close(): Promise<void> {
      closing ??=
        ownPool === undefined
          ? Promise.resolve()
          : closePool(ownPool, options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS);
      return closing;
    },
  };
}

async function post(
  dispatcher: Dispatcher,
  target: URL,
  message: OutboundMessage,
  signal: AbortSignal,
): Promise<SimulatorResponse> {
  const response = await dispatcher.request({
    origin: target.origin,
    path: target.pathname,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': message.idempotencyKey },
    body: JSON.stringify({
      messageId: message.messageId,
      channel: message.channel,
      to: message.to,
      subject: message.subject,
      body: message.body,
      template: message.template,
      // Ad e-mail: the one-click unsubscribe link an e-mail vendor sends as List-Unsubscribe (RFC 8058).
      ...(message.unsubscribeUrl !== undefined && { listUnsubscribe: message.unsubscribeUrl }),
    }),
    signal,
  });
  // Always read the body to the end: an unread body keeps the connection out of the pool.
  const text = await response.body.text();
  return { status: response.statusCode, retryAfter: response.headers['retry-after'], body: parseJson(text) };
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
