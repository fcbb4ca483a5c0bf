import type { AcceptedRequest, MessageEvent } from '../../ports/history-store.ts';
import type { OutgoingRecord } from '../../ports/transport.ts';
import { HeraldError, isHeraldError } from '../domain/errors.ts';
import type { Envelope, ImageRef } from '../domain/message.ts';
import { historyRecords } from '../history/history-log.ts';
import { newId } from '../identity/ids.ts';
import { hashRecipient, maskRecipient, maskUserId } from '../identity/recipient-privacy.ts';
import { encodeEnvelope } from '../pipeline/envelope-codec.ts';
import { sendTopic } from '../pipeline/topics.ts';
import { routedVendors } from '../templates/template-lookup.ts';
import { stageTimer, timedPart } from './accept-stages.ts';
import { attachImages, imageChannelOf } from './attach-images.ts';
import { contentDedupWindowMs } from './check-dedup-option.ts';
import { checkRequest } from './check-request.ts';
import { checkVmsOptions } from './check-vms-options.ts';
import { ContentBudget } from './content-budget.ts';
import type { DedupPlan } from './dedup-plan.ts';
import { planDedup, releaseContentClaims } from './dedup-plan.ts';
import { excludeOptedOut } from './exclude-opted-out.ts';
import { dedupKeyOf, keyMessages, messageScope } from './key-messages.ts';
import type { PreparedMessage } from './prepare-recipient.ts';
import { prepareRecipient } from './prepare-recipient.ts';
import { checkPushAddressing, pushAddress } from './push-addressing.ts';
import type { ResolvedSenders } from './resolve-senders.ts';
import { resolveSenders } from './resolve-senders.ts';
import type {
  RecipientOutcome,
  RejectedRecipient,
  SubmissionContext,
  SubmissionRequest,
  SubmissionResult,
} from './submission-types.ts';
import { NoValidRecipientsError } from './submission-types.ts';

/** What a client is told to wait when herald cannot persist; long enough for a broker failover. */
export const DEFAULT_RETRY_AFTER_MS = 5_000;

/**
 * The submission use-case: one API call becomes one message per recipient, each checked, keyed,
 * recorded in history and queued on its lane's topic, or answered with its own error (recorded
 * with the request too, so GET /v1/requests/:id shows every recipient).
 *
 * The request's record on the history log and its messages on their lanes' topics go in one produce
 * (one transport round trip before the answer): the history writer folds an event that reaches the
 * log before its request's record once the record comes (history-log-plan.ts). The `queued` events
 * follow, not waited for. Throws HeraldError for request-level problems (4xx;
 * among them 413 when the messages together would carry more text than one request may),
 * NoValidRecipientsError (422) when no recipient is usable, and HERALD_UNAVAILABLE (503) when the
 * messages cannot be persisted, in which case nothing was queued and the client may retry.
 */
export async function submitMessages(
  context: SubmissionContext,
  submitted: SubmissionRequest,
): Promise<SubmissionResult> {
  const clock = () => context.now?.() ?? Date.now();
  const now = clock();
  const lap = stageTimer(context.acceptStages, submitted.recipients.length);
  const config = context.config();
  // Images decide the channel (sms/lms with images go as mms; mms without one is refused or lms).
  const channel = imageChannelOf(submitted);
  const imaged = channel === submitted.channel ? submitted : { ...submitted, channel };
  // VMS options checked once for the request; the counselor number travels as digits.
  const vms = checkVmsOptions(imaged);
  const request = vms === undefined ? imaged : { ...imaged, vms };
  const requestContent = await checkRequest(
    request,
    context.templates,
    config.smsAutoUpgrade,
    routedVendors(config, 'alimtalk'),
  );
  const alimtalkVendors = config.routing.alimtalk.map((route) => route.vendor);
  const senders = await resolveSenders(request, context.senders, alimtalkVendors);
  const contentWindowMs = contentDedupWindowMs(request, config.dedup.windowMs);

  const prepared: PreparedMessage[] = [];
  const rejected: RejectedRecipient[] = [];
  const budget = new ContentBudget(context.requestContentLimitBytes);
  request.recipients.forEach((_, index) => {
    const result = prepareRecipient(request, requestContent, index, context.renderMeter);
    if (result.ok) {
      budget.spend(result.value, request.recipients.length);
      prepared.push(result.value);
    } else {
      rejected.push({ index, error: result.error.toJSON() });
    }
  });
  const addressed = checkPushAddressing(request, prepared);
  rejected.push(...addressed.rejected);
  const screened = await excludeOptedOut(context, request, addressed.kept);
  rejected.push(...screened.rejected);
  rejected.sort((a, b) => a.index - b.index);
  if (screened.kept.length === 0) {
    throw new NoValidRecipientsError(rejected);
  }

  const expiresAt = now + (request.expiresInSeconds ?? config.defaultExpiresInSeconds) * 1000;
  // After every cheaper check: fetching and storing images is the costliest step of a request.
  const images = await attachImages(context.images, request, expiresAt);
  const requestId = newId(now);
  const keyed = keyMessages(
    request,
    messageScope(request, requestId),
    screened.kept,
    images.map((image) => image.sha256),
  );
  lap('checks');
  const plan = await planDedup(context, keyed, {
    now,
    ...(contentWindowMs !== undefined && { contentWindowMs }),
  });
  lap('dedup');
  const accepted = acceptedRequest(context, request, { requestId, plan, rejected, now });
  try {
    // Remembered for read-your-writes alongside the produce. Should the produce fail, the client is
    // answered 503 without the request's id, so what was remembered is never asked for.
    const recipients = submitted.recipients.length;
    const remember = context.rememberAccepted;
    await Promise.all([
      timedPart(context.acceptStages, 'queue:produce', recipients, () =>
        enqueue(context, request, accepted, plan, { now, expiresAt, images, senders }),
      ),
      remember && timedPart(context.acceptStages, 'queue:remember', recipients, () => remember(accepted)),
    ]);
    lap('queue');
  } catch (error) {
    await releaseContentClaims(context, plan);
    throw error;
  }
  // Stamped when the transport confirmed, not at arrival: accepted -> queued is the API's own time
  // (checks, dedup and the produce), and queued -> sending is the lane's. Not waited for: the
  // messages are durable on the transport already, the answer does not depend on it (a failure is
  // only logged), and waiting would add a Kafka round trip to every accept (p99 47-95 ms of 203-291
  // ms server-side in a laneIsolation flood, when it did). A `queued` event lost to a crash in between
  // leaves history one informative step short; the lane's events carry the message on.
  void appendQueuedEvents(context, requestId, plan, clock());

  const messages: RecipientOutcome[] = [
    ...plan.fresh.map((m) => ({
      index: m.index,
      messageId: m.messageId,
      status: 'accepted' as const,
      channel: m.channel,
    })),
    ...plan.duplicates.map((d) => ({
      index: d.index,
      messageId: d.messageId,
      status: 'duplicate' as const,
      channel: d.channel,
    })),
    ...rejected,
  ];
  return { requestId, messages: messages.sort((a, b) => a.index - b.index) };
}

/** The request as history records it: its new messages (masked), duplicates and refused recipients. */
function acceptedRequest(
  context: SubmissionContext,
  request: SubmissionRequest,
  outcome: { requestId: string; plan: DedupPlan; rejected: readonly RejectedRecipient[]; now: number },
): AcceptedRequest {
  const { requestId, plan, rejected, now } = outcome;
  return {
    requestId,
    clientId: request.clientId,
    lane: request.lane,
    channel: request.channel,
    acceptedAt: now,
    messages: plan.fresh.map((m) => ({
      messageId: m.messageId,
      index: m.index,
      key: dedupKeyOf(m),
      channel: m.channel,
      // A push to a user: `user:ab****`, and the hash of `user:<id>` (m.to is that identity).
      recipientMasked: m.userId === undefined ? maskRecipient(m.channel, m.to) : maskUserId(m.userId),
      recipientHash: hashRecipient(m.to, context.recipientHashSecret),
    })),
    duplicates: plan.duplicates.map((d) => ({ index: d.index, messageId: d.messageId })),
    rejected,
  };
}

/**
 * The request's history record and its messages, in one produce. One call, not two side by side:
 * a transport takes one call's records in one request (ProduceCoalescer never splits a call), so
 * on one broker both land or neither does. A cluster can land part of it: the 503 that follows
 * marks the messages failed (markFailed), which history shows if the record landed; a message that
 * landed without it is sent, and its events wait as a pending fold until dropped (history-log-plan.ts).
 */
async function enqueue(
  context: SubmissionContext,
  request: SubmissionRequest,
  accepted: AcceptedRequest,
  plan: DedupPlan,
  times: { now: number; expiresAt: number; images: readonly ImageRef[]; senders: ResolvedSenders },
): Promise<void> {
  const { from, kakaoSenders, replyTo } = times.senders;
  const { requestId } = accepted;
  const messages: OutgoingRecord[] = plan.fresh.map((m) => {
    const envelope: Envelope = {
      messageId: m.messageId,
      requestId,
      clientId: request.clientId,
      key: m.key,
      channel: m.channel,
      lane: request.lane,
      ...pushAddress(request, m),
      content: m.content,
      template: m.template,
      ...(times.images.length > 0 && { images: times.images }),
      ...(from !== undefined && { from }),
      ...(kakaoSenders !== undefined && { kakaoSenders }),
      ...(replyTo !== undefined && { replyTo }),
      ...(request.vms !== undefined && { vms: request.vms }),
      attempt: 1,
      expiresAt: times.expiresAt,
      createdAt: times.now,
      ...(request.lane === 'ad' && request.recipients[m.index]?.nightAdConsent === true
        ? { nightAdConsent: true }
        : {}),
    };
    return { topic: sendTopic(request.lane, m.channel), key: m.key, value: encodeEnvelope(envelope) };
  });
  try {
    await context.transport.produce([
      ...historyRecords({ kind: 'accepted', request: accepted }),
      ...messages,
    ]);
  } catch (error) {
    const failure = unavailable('queue the messages', error);
    await markFailed(context, plan, failure, times.now);
    throw failure;
  }
}

/**
 * History must not show accepted messages as pending forever when they never reached the transport.
 * Best effort: the store that just failed to help may be down as well, and the client's answer (503)
 * does not depend on it.
 */
async function markFailed(context: SubmissionContext, plan: DedupPlan, failure: HeraldError, now: number) {
  const events: MessageEvent[] = plan.fresh.map((m) => ({
    messageId: m.messageId,
    status: 'failed',
    at: now,
    errorCode: failure.code,
    errorMessage: failure.message,
  }));
  try {
    await context.history.appendEvents(events);
  } catch (error) {
    context.logger?.warn({ err: error }, 'could not mark unqueued messages as failed in history');
  }
}

/**
 * `queued` for the new messages, and a `duplicate` event (with this request's id) on each earlier
 * message a recipient repeated. The messages are on the transport by now, so a failure here is only
 * logged: the answer stays 202, and the worker's own events move the messages on. Never rejects.
 */
async function appendQueuedEvents(
  context: SubmissionContext,
  requestId: string,
  plan: DedupPlan,
  now: number,
) {
  const events: MessageEvent[] = [
    ...plan.fresh.map((m): MessageEvent => ({ messageId: m.messageId, status: 'queued', at: now })),
    ...plan.duplicates
      .filter((d) => d.earlierRequest)
      .map((d): MessageEvent => ({ messageId: d.messageId, status: 'duplicate', at: now, requestId })),
  ];
  try {
    await context.history.appendEvents(events);
  } catch (error) {
    context.logger?.warn({ err: error, requestId }, 'could not append queued events to history');
  }
}

function unavailable(action: string, cause: unknown): HeraldError {
  const retryAfterMs = (isHeraldError(cause) ? cause.retryAfterMs : undefined) ?? DEFAULT_RETRY_AFTER_MS;
  return new HeraldError('HERALD_UNAVAILABLE', `herald cannot ${action} right now; retry after Retry-After`, {
    retryable: true,
    retryAfterMs,
    cause,
  });
}
