import { randomUUID } from 'node:crypto';
import { TokenBucket } from '../core/pipeline/token-bucket.ts';
import type { Behaviour } from './behaviour.ts';
import { sampleLatencyMs } from './latency-model.ts';
import { epochNowMs, type ReceiveCounter } from './receive-counter.ts';
import type { RandomSource } from './seeded-random.ts';
import { delayUnlessShutdown } from './shutdown-delay.ts';
import { pickError, type SimulatedError } from './vendor-error-catalogue.ts';

/** What the behaviour needs to know of a send; the rest of the request is the wire contract's. */
export interface SimulatedSend {
  readonly messageId: string;
  /** Absent when the request carried no (or an empty) Idempotency-Key. */
  readonly idempotencyKey: string | undefined;
}

/** The result of one call, before a wire contract renders it as an HTTP answer. */
export type SendOutcome =
  | { readonly kind: 'accepted'; readonly vendorMessageId: string }
  | { readonly kind: 'failed'; readonly error: SimulatedError }
  | { readonly kind: 'rate-limited'; readonly retryAfterMs: number }
  /** Never answer: the HTTP layer leaves the request open until the client or the server gives up. */
  | { readonly kind: 'hang' };

export type AnsweredOutcome = Exclude<SendOutcome, { kind: 'hang' }>;

/** The fates of the recipients of one call: each its own, or the whole call hangs, is throttled or fails. */
export type RecipientOutcomes =
  | { readonly kind: 'hang' }
  | { readonly kind: 'rate-limited'; readonly retryAfterMs: number }
  /**
   * The vendor's front end failed the whole call (a 5xx; or any refusal, where the vendor takes a
   * call whole or not at all): nothing in it was taken, nothing is counted as delivered.
   */
  | { readonly kind: 'failed'; readonly outcome: Extract<AnsweredOutcome, { kind: 'failed' }> }
  | { readonly kind: 'answered'; readonly outcomes: readonly AnsweredOutcome[] };

export interface CallOptions {
  /** SENS: one refused recipient refuses the call (its 4xx), and no one in it is delivered. */
  readonly wholeCallOrNothing?: boolean;
}

export interface SimulatedVendorOptions {
  readonly id: string;
  readonly behaviour: Behaviour;
  readonly random: RandomSource;
  readonly counter: ReceiveCounter;
  /** Monotonic clock for the rate limiter, ms. */
  readonly now?: () => number;
}

const HANG: SendOutcome = Object.freeze({ kind: 'hang' });
const HANG_CALL: RecipientOutcomes = Object.freeze({ kind: 'hang' });

/**
 * One simulated vendor's behaviour, independent of any wire format: rate limiting, hangs, errors,
 * latency, idempotency keys and counting deliveries. The order of checks on each call is the order
 * a real vendor's front end applies them: throttle first, then (maybe) stall, then replay a known
 * Idempotency-Key, then process.
 */
export class SimulatedVendor {
  readonly id: string;
  readonly #random: RandomSource;
  readonly #counter: ReceiveCounter;
  readonly #now: (() => number) | undefined;
  #behaviour: Behaviour;
  #bucket: TokenBucket | null;
  /**
   * Idempotency-Key -> the (possibly still pending) answer of the first call with that key. Only
   * answers that ended processing are kept: a success or a permanent 4xx. A 5xx or a hang means
   * the vendor did not process the message, so a retry with the same key is processed afresh.
   * One entry per key, cleared by reset(); same memory budget as the ReceiveCounter.
   */
  readonly #answers = new Map<string, Promise<AnsweredOutcome>>();

  constructor(options: SimulatedVendorOptions) {
    this.id = options.id;
    this.#random = options.random;
    this.#counter = options.counter;
    this.#now = options.now;
    this.#behaviour = options.behaviour;
    this.#bucket = this.#bucketFor(options.behaviour);
  }

  get behaviour(): Behaviour {
    return this.#behaviour;
  }

  /** Applies at once to new calls; calls already waiting keep the behaviour they started with. */
  setBehaviour(behaviour: Behaviour): void {
    if (behaviour.rateLimitPerSecond !== this.#behaviour.rateLimitPerSecond) {
      this.#bucket = this.#bucketFor(behaviour);
    }
    this.#behaviour = behaviour;
  }

  /** Forgets every Idempotency-Key and refills the rate limiter. */
  reset(behaviour: Behaviour): void {
    this.#answers.clear();
    this.#behaviour = behaviour;
    this.#bucket = this.#bucketFor(behaviour);
  }

  /** Rejects with the signal's reason if `shutdown` aborts while the call waits out its latency. */
  async handle(send: SimulatedSend, shutdown: AbortSignal): Promise<SendOutcome> {
    const arrivedAt = epochNowMs();
    this.#counter.recordCall(this.id);
    const waitMs = this.#bucket?.tryTake() ?? 0;
    if (waitMs > 0) return { kind: 'rate-limited', retryAfterMs: waitMs };
    const behaviour = this.#behaviour;
    const roll = this.#random();
    if (roll < behaviour.hangShare) return HANG;
    const key = behaviour.honoursIdempotencyKey ? send.idempotencyKey : undefined;
    const earlier = key === undefined ? undefined : this.#answers.get(key);
    if (earlier !== undefined) return this.#replay(earlier, behaviour, shutdown);
    const outcome: AnsweredOutcome =
      roll < behaviour.hangShare + behaviour.errorShare
        ? { kind: 'failed', error: pickError(behaviour.errors, this.#random) }
        : { kind: 'accepted', vendorMessageId: randomUUID() };
    const answer = this.#answerAfterLatency(send.messageId, arrivedAt, outcome, behaviour, shutdown);
    if (key !== undefined && endsProcessing(outcome)) this.#answers.set(key, answer);
    return answer;
  }

  /**
   * One call carrying several recipients (a vendor's bulk send). The call is throttled, hangs or
   * fails with a 5xx as one call (a token per recipient, one roll for its fate, one latency); only
   * then does each recipient meet its own 4xx, with the share a single call would have. Recipients
   * are counted as delivered only when the call is answered and takes them, so a failed call never
   * leaves a delivery behind for its retry to duplicate. A single recipient goes through handle(),
   * the exact behaviour of a one-message call.
   */
  async handleMany(
    sends: readonly SimulatedSend[],
    shutdown: AbortSignal,
    options: CallOptions = {},
  ): Promise<RecipientOutcomes> {
    if (sends.length === 1) return singleCall(await this.handle(sends[0]!, shutdown));
    const arrivedAt = epochNowMs();
    this.#counter.recordCall(this.id);
    const waitMs = this.#bucket?.tryTake(sends.length) ?? 0;
    if (waitMs > 0) return { kind: 'rate-limited', retryAfterMs: waitMs };
    const behaviour = this.#behaviour;
    const roll = this.#random();
    if (roll < behaviour.hangShare) return HANG_CALL;
    const serverErrors = behaviour.errors.filter((error) => error.status >= 500);
    const refusals = behaviour.errors.filter((error) => error.status < 500);
    const serverShare = behaviour.errorShare * weightShare(serverErrors, behaviour.errors);
    const refusalShare = behaviour.errorShare - serverShare;
    const outcomes: AnsweredOutcome[] = sends.map(() =>
      this.#random() < refusalShare
        ? { kind: 'failed', error: pickError(refusals, this.#random) }
        : { kind: 'accepted', vendorMessageId: randomUUID() },
    );
    await this.#latency(behaviour, shutdown);
    if (roll < behaviour.hangShare + serverShare) {
      return { kind: 'failed', outcome: { kind: 'failed', error: pickError(serverErrors, this.#random) } };
    }
    const refused = outcomes.find((outcome) => outcome.kind === 'failed');
    if (options.wholeCallOrNothing && refused?.kind === 'failed') return { kind: 'failed', outcome: refused };
    outcomes.forEach((outcome, i) => {
      if (outcome.kind === 'accepted') this.#counter.recordDelivery(this.id, sends[i]!.messageId, arrivedAt);
    });
    return { kind: 'answered', outcomes };
  }

  async #answerAfterLatency(
    messageId: string,
    arrivedAt: number,
    outcome: AnsweredOutcome,
    behaviour: Behaviour,
    shutdown: AbortSignal,
  ): Promise<AnsweredOutcome> {
    await this.#latency(behaviour, shutdown);
    // Counted when the answer is due, whether or not the client is still listening: a vendor that
    // accepted a message delivers it even if the caller timed out, which is how duplicates arise.
    if (outcome.kind === 'accepted') this.#counter.recordDelivery(this.id, messageId, arrivedAt);
    return outcome;
  }

  async #replay(
    earlier: Promise<AnsweredOutcome>,
    behaviour: Behaviour,
    shutdown: AbortSignal,
  ): Promise<AnsweredOutcome> {
    const outcome = await earlier;
    await this.#latency(behaviour, shutdown);
    this.#counter.recordIdempotentReplay(this.id);
    return outcome;
  }

  async #latency(behaviour: Behaviour, shutdown: AbortSignal): Promise<void> {
    const ms = sampleLatencyMs(behaviour.latency, this.#random);
    if (ms > 0) await delayUnlessShutdown(ms, shutdown);
  }

  #bucketFor(behaviour: Behaviour): TokenBucket | null {
    const rate = behaviour.rateLimitPerSecond;
    return rate === null ? null : new TokenBucket(rate, this.#now);
  }
}

function endsProcessing(outcome: AnsweredOutcome): boolean {
  return outcome.kind === 'accepted' || (outcome.kind === 'failed' && outcome.error.status < 500);
}

function singleCall(outcome: SendOutcome): RecipientOutcomes {
  switch (outcome.kind) {
    case 'hang':
      return HANG_CALL;
    case 'rate-limited':
      return { kind: 'rate-limited', retryAfterMs: outcome.retryAfterMs };
    case 'failed':
      return outcome.error.status >= 500
        ? { kind: 'failed', outcome }
        : { kind: 'answered', outcomes: [outcome] };
    case 'accepted':
      return { kind: 'answered', outcomes: [outcome] };
  }
}

/** The share of `all`'s weight that `some` carries (0 when there are no errors at all). */
function weightShare(some: readonly SimulatedError[], all: readonly SimulatedError[]): number {
  const total = all.reduce((sum, error) => sum + error.weight, 0);
  return total === 0 ? 0 : some.reduce((sum, error) => sum + error.weight, 0) / total;
}
