import { BrokenCircuitError, CircuitState, circuitBreaker, handleWhen } from 'cockatiel';
import { HeraldError, isHeraldError } from '../domain/errors.ts';
import type { VendorSettings } from '../domain/remote-config.ts';
import { StreakAndRateBreaker } from './streak-and-rate-breaker.ts';

/**
 * The circuit breaker of one vendor (cockatiel's, with a failure streak + failure rate rule, see
 * streak-and-rate-breaker.ts). Only vendor faults
 * count: timeouts, 5xx, connection errors. A rejected recipient or a 429 says nothing about the
 * vendor's health. While open, the router sends the channel's traffic to the other vendors; once
 * `halfOpenAfter` has passed one trial call decides whether the vendor is back.
 */
export class VendorBreaker {
  readonly settings: VendorSettings;
  readonly #policy;
  #reopensAt = 0;

  constructor(settings: VendorSettings, now: () => number = Date.now) {
    this.settings = settings;
    this.#policy = circuitBreaker(
      handleWhen((error) => isHeraldError(error) && error.vendorFault),
      {
        halfOpenAfter: settings.breakerHalfOpenAfterMs,
        breaker: new StreakAndRateBreaker(settings.breakerThreshold, now),
      },
    );
    this.#policy.onBreak(() => {
      this.#reopensAt = now() + settings.breakerHalfOpenAfterMs;
    });
  }

  get state(): 'closed' | 'open' | 'half-open' {
    const state = this.#policy.state;
    if (state === CircuitState.Closed) return 'closed';
    return state === CircuitState.HalfOpen ? 'half-open' : 'open';
  }

  /** Whether a call may go to this vendor now: closed, or open long enough for a trial call. */
  available(now: number): boolean {
    const state = this.#policy.state;
    if (state === CircuitState.Closed) return true;
    // Half-open: the trial call is in flight; cockatiel would refuse a second one.
    return state === CircuitState.Open && now >= this.#reopensAt;
  }

  async execute<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await this.#policy.execute(call);
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        throw new HeraldError('HERALD_VENDOR_UNAVAILABLE', 'the vendor circuit is open', {
          retryable: true,
          cause: error,
        });
      }
      throw error;
    }
  }
}
