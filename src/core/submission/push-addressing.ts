import { HeraldError } from '../domain/errors.ts';
import type { Envelope } from '../domain/message.ts';
import { inferPushProvider, type PushProvider } from '../domain/push-provider.ts';
import type { RecipientError, RecipientInput, SubmissionRequest } from './submission-types.ts';

/** A recipient the earlier checks accepted: its index in the request and its normalised address. */
interface Addressed {
  readonly index: number;
  readonly to: string;
  /** A push to a user: no token yet, so no provider to tell (the registry knows each device's). */
  readonly userId?: string;
}

export interface AddressScreen<T extends Addressed> {
  readonly kept: readonly T[];
  readonly rejected: readonly { readonly index: number; readonly error: RecipientError }[];
}

/**
 * A push recipient is an address at one push service: the provider it names, or the one its
 * token's shape tells (see push-provider.ts). herald never guesses: a token whose shape does not
 * tell, without a provider, is refused (HERALD_UNKNOWN_PUSH_PROVIDER) rather than sent to whichever
 * provider the weights pick. `provider` on another channel is refused as a field that does not
 * apply. Runs after the address checks; the accepted messages carry the provider in their envelope.
 */
export function checkPushAddressing<T extends Addressed>(
  request: Pick<SubmissionRequest, 'channel' | 'recipients'>,
  prepared: readonly T[],
): AddressScreen<T> {
  const kept: T[] = [];
  const rejected: { index: number; error: RecipientError }[] = [];
  for (const message of prepared) {
    const problem = addressingProblem(request, message);
    if (problem) rejected.push({ index: message.index, error: problem.toJSON() });
    else kept.push(message);
  }
  return { kept, rejected };
}

/**
 * What an accepted message's envelope carries of its addressing: `to` (empty for a push to a user,
 * whom the worker resolves), and on push the user id, or the token's provider and app, and the
 * request's push options.
 */
export function pushAddress(
  request: Pick<SubmissionRequest, 'channel' | 'recipients' | 'push'>,
  message: Addressed,
): Pick<Envelope, 'to' | 'userId' | 'pushProvider' | 'pushApp' | 'push'> {
  if (request.channel !== 'push') return { to: message.to };
  const options = request.push === undefined ? {} : { push: request.push };
  if (message.userId !== undefined) return { to: '', userId: message.userId, ...options };
  const recipient = request.recipients[message.index]!;
  const pushProvider = providerOf(recipient, message.to);
  return {
    to: message.to,
    ...(pushProvider && { pushProvider }),
    ...(recipient.app !== undefined && { pushApp: recipient.app }),
    ...options,
  };
}

function providerOf(recipient: RecipientInput, token: string): PushProvider | undefined {
  return recipient.provider ?? inferPushProvider(token);
}

function addressingProblem(
  request: Pick<SubmissionRequest, 'channel' | 'recipients'>,
  message: Addressed,
): HeraldError | undefined {
  const recipient = request.recipients[message.index]!;
  const field = `recipients[${message.index}].provider`;
  if (request.channel !== 'push') {
    if (recipient.provider === undefined) return undefined;
    return new HeraldError(
      'HERALD_VALIDATION_FAILED',
      `${field} applies to push only; remove it for ${request.channel}`,
      { field },
    );
  }
  if (message.userId !== undefined || providerOf(recipient, message.to) !== undefined) return undefined;
  const given = recipient.to === undefined ? 'token' : 'to';
  return new HeraldError(
    'HERALD_UNKNOWN_PUSH_PROVIDER',
    `recipients[${message.index}].${given} is neither an APNs device token (64 hex characters) nor an FCM ` +
      `registration token, so herald cannot tell which service it belongs to; give ${field}: "fcm" or "apns"`,
    { field },
  );
}
