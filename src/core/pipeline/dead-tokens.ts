import type { HeraldMetrics } from '../../observability/metrics.ts';
import { canonicalToken } from '../devices/device-registration.ts';
import type { HeraldError } from '../domain/errors.ts';
import type { Envelope } from '../domain/message.ts';
import { inferPushProvider } from '../domain/push-provider.ts';
import { hashRecipient } from '../identity/recipient-privacy.ts';
import type { OutcomeSinks } from './outcome-sinks.ts';

export interface DeadTokenContext {
  readonly sinks: Pick<OutcomeSinks, 'deadTokens'>;
  readonly metrics: Pick<HeraldMetrics, 'pushTokensDead'>;
  /** The secret the registry hashes tokens with (HERALD_RECIPIENT_HASH_SECRET). */
  readonly recipientHashSecret: string;
  readonly now: () => number;
}

/**
 * A push service said the token is dead (FCM UNREGISTERED, APNs 410 Unregistered): the adapter's
 * HERALD_TOKEN_INVALID. The token is marked dead in the device registry at once, so the next push
 * to its user skips it, and counted. A token sent to directly, never registered, is simply not
 * found there. Waits for the registry (one batched call) but never fails the message's outcome:
 * a registry that cannot be written is logged by the sink.
 */
export async function markTokenDead(
  context: DeadTokenContext,
  envelope: Envelope,
  error: HeraldError,
): Promise<void> {
  if (error.code !== 'HERALD_TOKEN_INVALID' || envelope.channel !== 'push') return;
  const provider = envelope.pushProvider ?? inferPushProvider(envelope.to) ?? 'unknown';
  context.metrics.pushTokensDead.inc({ provider });
  const death = {
    clientId: envelope.clientId,
    // Hashed as the registry hashes it (an APNs token in lower case), so the two meet.
    tokenHash: hashRecipient(canonicalToken(envelope.to), context.recipientHashSecret),
    reason: error.vendorCode ?? error.code,
    at: context.now(),
  };
  await context.sinks.deadTokens.write([death]).catch(() => {});
}
