import { HeraldError } from '../../core/domain/errors.ts';
import type { OutboundMessage } from '../../core/domain/message.ts';
import type { SendReceipt } from '../../ports/vendor.ts';
import { mapTransportError } from '../map-transport-error.ts';
import { buildApnsRequest } from './apns-request.ts';
import { type ApnsReply, mapApnsResponse, providerTokenRefused } from './apns-response.ts';
import type { ProviderTokenSigner } from './provider-token.ts';

/** One HTTP/2 request: what the sender needs of the session pool (Http2Pool has this shape). */
export interface ApnsTransport {
  request(call: {
    readonly path: string;
    readonly headers: Record<string, string>;
    readonly body: string;
    readonly signal: AbortSignal;
  }): Promise<ApnsReply>;
}

/** What sending one push needs: the vendor's id, its pool, its provider token and settings. */
export interface ApnsSenderContext {
  readonly vendorId: string;
  /** Path prefix of the base URL ('' for Apple's hosts; '/apns' for a simulator's vendor route). */
  readonly pathPrefix: string;
  readonly transport: ApnsTransport;
  readonly tokens: Pick<ProviderTokenSigner, 'current' | 'renewAfterRejection'>;
  readonly defaultTopic?: string;
  /** Epoch ms, for Retry-After dates. */
  readonly now?: () => number;
}

/**
 * Sends one push to APNs. A 403 ExpiredProviderToken / InvalidProviderToken is answered by
 * renewing the provider token once (shared: concurrent refusals renew it once) and sending again;
 * a second refusal means the key itself is refused, and the vendor is reported unhealthy.
 * `push.options.validateOnly`: APNs has no dry run, so the request is built and checked, not sent.
 */
export async function sendApnsPush(
  context: ApnsSenderContext,
  message: OutboundMessage,
  signal: AbortSignal,
): Promise<SendReceipt> {
  const request = buildApnsRequest(message, {
    vendorId: context.vendorId,
    defaultTopic: context.defaultTopic,
  });
  if (request instanceof HeraldError) throw request;
  if (message.push?.options.validateOnly === true) return { vendorMessageId: message.messageId };
  let token = await context.tokens.current();
  for (let renewed = false; ; renewed = true) {
    let reply: ApnsReply;
    try {
      reply = await context.transport.request({
        path: `${context.pathPrefix}${request.path}`,
        headers: { ...request.headers, authorization: `bearer ${token}` },
        body: request.body,
        signal,
      });
    } catch (error) {
      throw mapTransportError(context.vendorId, error, signal);
    }
    const outcome = mapApnsResponse(
      context.vendorId,
      reply,
      message.messageId,
      context.now?.() ?? Date.now(),
    );
    if (outcome instanceof HeraldError) throw outcome;
    if (!('kind' in outcome)) return outcome;
    const next = renewed ? undefined : await context.tokens.renewAfterRejection(token);
    if (next === undefined) throw providerTokenRefused(context.vendorId, outcome.reason);
    token = next;
  }
}
