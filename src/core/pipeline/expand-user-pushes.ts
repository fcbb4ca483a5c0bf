import type { Logger } from '../../observability/logger.ts';
import type { HeraldMetrics } from '../../observability/metrics.ts';
import type { DeviceRegistry, LiveDevice } from '../../ports/device-registry.ts';
import type { MessageEvent, UserPushExpansion } from '../../ports/history-store.ts';
import { HeraldError } from '../domain/errors.ts';
import type { Lane } from '../domain/lane.ts';
import type { Envelope } from '../domain/message.ts';
import { derivedId } from '../identity/ids.ts';
import { shortHash } from '../identity/message-key.ts';
import { maskRecipient } from '../identity/recipient-privacy.ts';
import type { ConcurrencyLimit } from './concurrency-limit.ts';
import type { LiveRecord } from './defer-night-ads.ts';
import type { OutcomeSinks } from './outcome-sinks.ts';

export interface ExpansionContext {
  readonly lane: Lane;
  /** Absent in a process without a device registry: a push to a user then fails HERALD_NO_DEVICES. */
  readonly devices?: Pick<DeviceRegistry, 'liveDevicesOf'>;
  readonly metadataPool: ConcurrencyLimit;
  readonly sinks: Pick<OutcomeSinks, 'history' | 'expansions'>;
  readonly metrics: Pick<HeraldMetrics, 'outcomes' | 'pushUserExpansions'>;
  readonly logger: Logger;
  readonly now: () => number;
}

/** How the batch processor ends a parent that was not expanded (it writes history and finishes). */
export interface ParentOutcomes {
  /** A final event: `failed` with HERALD_NO_DEVICES. */
  conclude(item: LiveRecord, event: MessageEvent): Promise<void>;
  /** A failed attempt that may be retried (the registry could not be read). */
  fail(item: LiveRecord, error: HeraldError): Promise<void>;
}

/** A push to a user that the worker has yet to resolve into the user's devices. */
export function isUserPush(envelope: Envelope): boolean {
  return envelope.channel === 'push' && envelope.userId !== undefined;
}

/**
 * The metadata step for pushes to users (the talk's "meta fetch" pool): each `{"userId"}` message
 * of the batch becomes one message per live device of that user, sent in this same batch. One
 * registry round trip per client per batch, in the lane's metadata pool, so lookups never hold
 * vendor-call slots.
 *
 * A child's id and key are derived from its parent's and the device's token hash, so a
 * redelivered parent makes the very same children: history records them once and the dedup store
 * answers `duplicate` for those already sent. The children are recorded in history, and the parent
 * ends `expanded`, before any child is sent. A child shares its parent's transport record, which
 * is finished only when every child's outcome is durable (see finishWhenAllDone).
 *
 * A user with no live device ends `failed` HERALD_NO_DEVICES; a registry that cannot be read is a
 * failed attempt like a vendor's (retried with backoff until the expiry). Returns what to send:
 * every other record as it was, and the children.
 */
export async function expandUserPushes(
  context: ExpansionContext,
  items: readonly LiveRecord[],
  outcomes: ParentOutcomes,
  signal: AbortSignal,
): Promise<LiveRecord[]> {
  const parents = items.filter((item) => isUserPush(item.envelope));
  if (parents.length === 0) return [...items];
  const toSend = items.filter((item) => !isUserPush(item.envelope));
  const expanded: { item: LiveRecord; children: Envelope[]; expansion: UserPushExpansion }[] = [];
  const ending: Promise<void>[] = [];
  const groups = [...groupByClient(parents)];
  const lookups = await Promise.all(
    groups.map(([clientId, group]) => lookUp(context, clientId, group, signal)),
  );
  for (const [i, [, group]] of groups.entries()) {
    const found = lookups[i]!;
    if (found === 'abandoned') continue;
    for (const item of group) {
      const resolved = resolveOne(context, item, found);
      if (resolved.kind === 'expanded') expanded.push({ item, ...resolved });
      else ending.push(endParent(context, item, resolved, outcomes));
    }
  }
  await Promise.all([...ending, recordExpansions(context, expanded)]);
  for (const { item, children } of expanded) {
    for (const child of children) toSend.push({ record: item.record, envelope: child });
  }
  return toSend;
}

type Found = Map<string, LiveDevice[]> | HeraldError;

async function lookUp(
  context: ExpansionContext,
  clientId: string,
  group: readonly LiveRecord[],
  signal: AbortSignal,
): Promise<Found | 'abandoned'> {
  const { devices } = context;
  if (!devices) return new Map();
  const userIds = [...new Set(group.map((item) => item.envelope.userId!))];
  try {
    return await context.metadataPool.run(() => devices.liveDevicesOf(clientId, userIds), signal);
  } catch (error) {
    // Shutdown: the records stay unfinished and are redelivered after the restart.
    if (signal.aborted) return 'abandoned';
    // Counts only: user ids and tokens never go to the log.
    context.logger.warn({ err: error, users: userIds.length }, 'device registry lookup failed');
    return new HeraldError('HERALD_UNAVAILABLE', 'the device registry cannot be read right now', {
      retryable: true,
      cause: error,
    });
  }
}

type Resolved =
  | { readonly kind: 'expanded'; readonly children: Envelope[]; readonly expansion: UserPushExpansion }
  | { readonly kind: 'no-devices' }
  | { readonly kind: 'unresolved'; readonly error: HeraldError };

function resolveOne(context: ExpansionContext, item: LiveRecord, found: Found): Resolved {
  if (found instanceof HeraldError) return { kind: 'unresolved', error: found };
  const parent = item.envelope;
  const devices = found.get(parent.userId!) ?? [];
  if (devices.length === 0) return { kind: 'no-devices' };
  const children = devices.map((device) => childEnvelope(parent, device));
  const expansion: UserPushExpansion = {
    parentMessageId: parent.messageId,
    requestId: parent.requestId,
    clientId: parent.clientId,
    lane: parent.lane,
    createdAt: parent.createdAt,
    at: context.now(),
    children: children.map((child, i) => ({
      messageId: child.messageId,
      key: child.key,
      recipientMasked: maskRecipient('push', child.to),
      recipientHash: devices[i]!.tokenHash,
    })),
  };
  return { kind: 'expanded', children, expansion };
}

/**
 * One device's message: the parent's content, options, lane and expiry, addressed to the device's
 * token at its provider and app. No `userId` (it is resolved), a first attempt of its own.
 */
export function childEnvelope(parent: Envelope, device: LiveDevice): Envelope {
  const {
    userId: _userId,
    failedVendors: _failedVendors,
    notBefore: _notBefore,
    deferredForNight: _deferredForNight,
    ...inherited
  } = parent;
  return {
    ...inherited,
    messageId: derivedId(parent.messageId, device.tokenHash),
    key: shortHash(['push-device', parent.key, device.tokenHash]),
    to: device.token,
    pushProvider: device.provider,
    pushApp: device.app,
    parentMessageId: parent.messageId,
    attempt: 1,
  };
}

async function recordExpansions(
  context: ExpansionContext,
  expanded: readonly { item: LiveRecord; children: Envelope[]; expansion: UserPushExpansion }[],
): Promise<void> {
  if (expanded.length === 0) return;
  const expandedLabels = { lane: context.lane, channel: 'push', status: 'expanded', vendor: 'none' };
  context.metrics.outcomes.inc(expandedLabels, expanded.length);
  context.metrics.pushUserExpansions.inc({ lane: context.lane, outcome: 'expanded' }, expanded.length);
  const events = expanded.map(({ item, children, expansion }): MessageEvent => {
    return {
      messageId: item.envelope.messageId,
      clientId: item.envelope.clientId,
      status: 'expanded',
      at: expansion.at,
      attempt: item.envelope.attempt,
      errorMessage:
        `resolved into ${children.length} live device${children.length === 1 ? '' : 's'} of the user; ` +
        'each is a message of its own, listed under devices',
    };
  });
  // The children exist in history before any of their own events is written.
  await context.sinks.expansions.write(expanded.map(({ expansion }) => expansion));
  await context.sinks.history.write(events);
}

function endParent(
  context: ExpansionContext,
  item: LiveRecord,
  resolved: Exclude<Resolved, { kind: 'expanded' }>,
  outcomes: ParentOutcomes,
): Promise<void> {
  context.metrics.pushUserExpansions.inc({ lane: context.lane, outcome: resolved.kind });
  if (resolved.kind === 'unresolved') return outcomes.fail(item, resolved.error);
  const detail = context.devices
    ? 'the user has no live device registered (PUT /v1/devices)'
    : 'this herald has no device registry';
  return outcomes.conclude(item, {
    messageId: item.envelope.messageId,
    clientId: item.envelope.clientId,
    status: 'failed',
    at: context.now(),
    attempt: item.envelope.attempt,
    errorCode: 'HERALD_NO_DEVICES',
    errorMessage: `${detail}; nothing was sent`,
  });
}

function groupByClient(items: readonly LiveRecord[]): Map<string, LiveRecord[]> {
  const groups = new Map<string, LiveRecord[]>();
  for (const item of items) {
    const group = groups.get(item.envelope.clientId) ?? [];
    group.push(item);
    groups.set(item.envelope.clientId, group);
  }
  return groups;
}
