import type { Vendor } from '../../ports/vendor.ts';
import { HeraldError, isHeraldError } from '../domain/errors.ts';
import type { Envelope, OutboundImage, OutboundMessage } from '../domain/message.ts';
import type { RouteChoice, RouteRequest, VendorRouter } from '../routing/vendor-router.ts';
import { withChildSignal } from './abort-fan-out.ts';
import type { ConcurrencyLimit } from './concurrency-limit.ts';
import { type MetadataResolver, pushProviderOf } from './metadata-resolver.ts';
import { type PaceContext, paceVendorCall } from './pace-vendor-call.ts';
import type { SendOutcome } from './send-outcome.ts';

export interface SendOneContext extends PaceContext {
  readonly router: VendorRouter;
  readonly metadata: MetadataResolver;
  readonly metadataPool: ConcurrencyLimit;
  readonly sendPool: ConcurrencyLimit;
  readonly now: () => number;
  /** Told when the vendor is chosen and the call starts (the `sending` history event). */
  readonly onSending: (envelope: Envelope, vendor: string) => void;
  /** Told of every vendor call and how many messages it carries (herald_vendor_calls_total). */
  readonly onCall?: (vendor: string, messages: number) => void;
}

/**
 * One attempt of one message: resolve its content (metadata pool), pick a vendor (router), wait for
 * that vendor's rate if it has one (pace-vendor-call.ts), then call it through its policy, breaker
 * and hard time limit (send pool). Never throws: every failure becomes an outcome. `signal` is the
 * lane's shutdown, threaded through the pools and the vendor's policy to the adapter: once it
 * aborts, a waiting attempt never starts and a running call is cut off, and either ends `abandoned`.
 */
export async function sendOne(
  context: SendOneContext,
  envelope: Envelope,
  signal: AbortSignal,
): Promise<SendOutcome> {
  const started = context.now();
  let vendorId: string | undefined;
  try {
    const message = await resolveMessage(context, envelope, signal);
    const request = routeRequest(envelope, message);
    // Picked ahead only when a vendor of the channel has a rate: otherwise the pick in the slot is
    // the only one.
    const pacing = context.vendorRate !== undefined && context.router.paces(envelope.channel);
    let paced = pacing ? pickRoute(context, envelope, request) : undefined;
    for (;;) {
      if (paced) await paceVendorCall(context, paced, 1, signal);
      const attempt = await context.sendPool.run(async () => {
        signal.throwIfAborted();
        // Routed again when the slot is ours, as before vendors had a rate: a breaker that opened
        // while this waited sends it to another vendor at once, not to a fast failure and a retry.
        const route = pickRoute(context, envelope, request);
        if (pacing && route.vendor.id !== paced?.vendor.id && route.settings.maxPerSecond !== undefined) {
          return { kind: 'repace', route } as const;
        }
        const vendor = route.vendor.id;
        vendorId = vendor;
        context.onSending(envelope, vendor);
        const call = (derived: AbortSignal) => route.vendor.send(message, derived);
        return {
          kind: 'called',
          vendor,
          receipt: await callThrough(context, route, 1, call, signal),
        } as const;
      }, signal);
      // Another vendor with a rate of its own: wait for it outside the pool, as for the first.
      if (attempt.kind === 'repace') paced = attempt.route;
      else
        return {
          kind: 'sent',
          vendor: attempt.vendor,
          latencyMs: context.now() - started,
          ...attempt.receipt,
        };
    }
  } catch (error) {
    if (signal.aborted) return { kind: 'abandoned', vendor: vendorId };
    return {
      kind: 'failed',
      vendor: vendorId,
      latencyMs: context.now() - started,
      error: asHeraldError(error),
    };
  }
}

function pickRoute(
  context: Pick<SendOneContext, 'router'>,
  envelope: Envelope,
  request: RouteRequest,
): RouteChoice {
  const route = context.router.pick(envelope.channel, request);
  if (!route) throw noVendor(envelope, request);
  return route;
}

/**
 * One vendor call through the route's breaker and time limit, counted (`messages` it carries).
 * A signal of the call's own for the policy to derive from: not one listener per call on the
 * lane's signal (see abort-fan-out.ts).
 */
export function callThrough<T>(
  context: Pick<SendOneContext, 'onCall'>,
  route: RouteChoice,
  messages: number,
  call: (signal: AbortSignal) => Promise<T>,
  signal: AbortSignal,
): Promise<T> {
  context.onCall?.(route.vendor.id, messages);
  return withChildSignal(signal, (callSignal) =>
    route.policy.execute(call, { timeoutMs: route.settings.timeoutMs, signal: callSignal }),
  );
}

/** The message as the vendor gets it: templates, images and devices looked up in the metadata pool. */
export function resolveMessage(
  context: Pick<SendOneContext, 'metadata' | 'metadataPool' | 'now'>,
  envelope: Envelope,
  signal: AbortSignal,
): Promise<OutboundMessage> {
  return context.metadata.needsLookup(envelope)
    ? context.metadataPool.run(() => context.metadata.resolve(envelope, context.now()), signal)
    : context.metadata.resolve(envelope, context.now());
}

export function routeRequest(envelope: Envelope, message: OutboundMessage): RouteRequest {
  const only = message.eligibleVendors;
  const images = message.images ?? [];
  const request = {
    avoid: envelope.failedVendors,
    stickyKey: envelope.key,
    ...(only ? { only } : {}),
    ...(images.length > 0 ? { fits: (vendor: Vendor) => imagesFit(vendor, images) } : {}),
  };
  if (envelope.channel !== 'push') return request;
  // Envelopes queued before the API carried the provider: tell it from the token, as the API does.
  return { ...request, pushProvider: pushProviderOf(envelope) };
}

/** An MMS's images within a vendor's own limits (stricter than herald's at some vendors). */
function imagesFit(vendor: Vendor, images: readonly OutboundImage[]): boolean {
  const limits = vendor.mmsLimits;
  if (limits === undefined) return true;
  return (
    images.length <= limits.maxImages &&
    images.every((image) => image.content.byteLength <= limits.maxImageBytes)
  );
}

export function noVendor(envelope: Envelope, request: RouteRequest): HeraldError {
  const which = request.pushProvider
    ? `push to ${request.pushProvider} tokens`
    : request.only
      ? `${envelope.channel} among ${request.only.join(', ') || 'no vendor'} (where its template is approved)`
      : envelope.channel;
  return new HeraldError('HERALD_NO_VENDOR', `no vendor available for ${which}`, { retryable: true });
}

export function asHeraldError(error: unknown): HeraldError {
  if (isHeraldError(error)) return error;
  // An adapter bug or an unmapped failure: retry it, the vendor may not be at fault but we cannot know.
  return new HeraldError(
    'HERALD_VENDOR_UNAVAILABLE',
    error instanceof Error ? error.message : String(error),
    {
      retryable: true,
      vendorFault: true,
      cause: error,
    },
  );
}
