import type { BulkSender, BulkSendResult } from '../../ports/vendor.ts';
import { isHeraldError } from '../domain/errors.ts';
import type { Envelope, OutboundMessage } from '../domain/message.ts';
import type { RouteChoice } from '../routing/vendor-router.ts';
import { paceVendorCall } from './pace-vendor-call.ts';
import {
  asHeraldError,
  callThrough,
  noVendor,
  resolveMessage,
  routeRequest,
  type SendOneContext,
} from './send-one.ts';
import type { SendOutcome } from './send-outcome.ts';

/** One reserved message of a batch, and what to do with its outcome once its call has ended. */
export interface GroupedSend {
  readonly envelope: Envelope;
  readonly settle: (outcome: SendOutcome) => Promise<void>;
}

interface Routed {
  readonly send: GroupedSend;
  readonly message: OutboundMessage;
  readonly started: number;
}

interface Group {
  readonly route: RouteChoice;
  readonly bulk: BulkSender;
  readonly items: Routed[];
}

/**
 * How the batch and ad lanes send (bulk calls where the wire allows): every message is resolved
 * and routed as sendOne would (same weights, breakers, stickiness, template and image limits),
 * then the messages routed to one bulk-capable vendor with the same group key go in calls of up
 * to its `maxMessages`, each call taking one slot of the send pool (after the vendor's rate, one
 * token per message it carries). Each message's own result
 * comes back to it: its receipt, or its own refusal, so dedup, history and retries stay per
 * message. A call refused as a whole for its content (HERALD_VENDOR_REJECTED, not retryable: one
 * bad number in a SENS call) is sent again one message a call, so only the culprit fails; any
 * other failure of the call is every message's failure, retried as theirs. Messages for vendors
 * without a bulk side, and groups of one, are sent one call each.
 */
export async function sendGrouped(
  context: SendOneContext,
  sends: readonly GroupedSend[],
  signal: AbortSignal,
): Promise<void> {
  const groups = new Map<string, Group>();
  const work: Promise<void>[] = [];
  await Promise.all(
    sends.map(async (send) => {
      const started = context.now();
      try {
        const message = await resolveMessage(context, send.envelope, signal);
        const request = routeRequest(send.envelope, message);
        const route = context.router.pick(send.envelope.channel, request);
        if (!route) throw noVendor(send.envelope, request);
        const bulk = route.vendor.bulk;
        if (bulk === undefined) {
          work.push(sendAlone(context, route, { send, message, started }, signal));
          return;
        }
        const key = `${route.vendor.id}\u0000${bulk.groupKey(message)}`;
        const group = groups.get(key) ?? { route, bulk, items: [] };
        group.items.push({ send, message, started });
        groups.set(key, group);
      } catch (error) {
        work.push(send.settle(failure(context, signal, undefined, started, error)));
      }
    }),
  );
  for (const { route, bulk, items } of groups.values()) {
    for (let i = 0; i < items.length; i += bulk.maxMessages) {
      const chunk = items.slice(i, i + bulk.maxMessages);
      work.push(
        chunk.length === 1
          ? sendAlone(context, route, chunk[0]!, signal)
          : sendTogether(context, route, bulk, chunk, signal),
      );
    }
  }
  await Promise.all(work);
}

async function sendTogether(
  context: SendOneContext,
  route: RouteChoice,
  bulk: BulkSender,
  items: readonly Routed[],
  signal: AbortSignal,
): Promise<void> {
  const vendor = route.vendor.id;
  let results: BulkSendResult[];
  try {
    // One token per message the call carries: the vendor's contract counts recipients, not calls.
    await paceVendorCall(context, route, items.length, signal);
    results = await context.sendPool.run(async () => {
      signal.throwIfAborted();
      for (const { send } of items) context.onSending(send.envelope, vendor);
      const messages = items.map(({ message }) => message);
      return callThrough(context, route, messages.length, (d) => bulk.sendMany(messages, d), signal);
    }, signal);
  } catch (error) {
    if (!signal.aborted && refusedForContent(error)) {
      // Nothing in the call was taken: each message alone finds out which one the vendor refuses.
      await Promise.all(items.map((item) => sendAlone(context, route, item, signal)));
      return;
    }
    await Promise.all(
      items.map(({ send, started }) => send.settle(failure(context, signal, vendor, started, error))),
    );
    return;
  }
  await Promise.all(
    items.map(({ send, started }, i) => {
      const result = results[i];
      const latencyMs = context.now() - started;
      if (result === undefined || isHeraldError(result)) {
        return send.settle(failure(context, signal, vendor, started, result ?? missingResult(vendor)));
      }
      return send.settle({ kind: 'sent', vendor, latencyMs, vendorMessageId: result.vendorMessageId });
    }),
  );
}

/** One message, one call, on the route it was given (what sendOne does after routing). */
async function sendAlone(
  context: SendOneContext,
  route: RouteChoice,
  { send, message, started }: Routed,
  signal: AbortSignal,
): Promise<void> {
  const vendor = route.vendor.id;
  try {
    await paceVendorCall(context, route, 1, signal);
    const receipt = await context.sendPool.run(async () => {
      signal.throwIfAborted();
      context.onSending(send.envelope, vendor);
      return callThrough(context, route, 1, (d) => route.vendor.send(message, d), signal);
    }, signal);
    await send.settle({ kind: 'sent', vendor, latencyMs: context.now() - started, ...receipt });
  } catch (error) {
    await send.settle(failure(context, signal, vendor, started, error));
  }
}

function failure(
  context: SendOneContext,
  signal: AbortSignal,
  vendor: string | undefined,
  started: number,
  error: unknown,
): SendOutcome {
  if (signal.aborted) return { kind: 'abandoned', vendor };
  return { kind: 'failed', vendor, latencyMs: context.now() - started, error: asHeraldError(error) };
}

function refusedForContent(error: unknown): boolean {
  return isHeraldError(error) && error.code === 'HERALD_VENDOR_REJECTED' && !error.retryable;
}

/** An adapter that answered fewer results than messages: its bug, so retry rather than lose. */
function missingResult(vendor: string): Error {
  return new Error(`vendor ${vendor} gave no result for a message of a bulk call`);
}
