import {
  BrokenCircuitError,
  CircuitState,
  circuitBreaker,
  handleWhen,
  TimeoutStrategy,
  timeout,
} from 'cockatiel';
import { HeraldError, isHeraldError } from '../domain/errors.ts';
import type { VendorSettings } from '../domain/remote-config.ts';
import { StreakAndRateBreaker } from './streak-and-rate-breaker.ts';

/**
 * What herald wraps around every call to one vendor, composed the cockatiel way: a circuit breaker
 * around a hard time limit, with ONE AbortSignal threaded through. The caller's signal (its lane's
 * shutdown) goes into the breaker; the time limit derives its own signal from it, aborted at the
 * limit or as soon as the caller's aborts; the vendor adapter gets that derived signal. So shutdown
 * cancels a call in flight the same way the time limit does, and the Aggressive strategy settles
 * the call at either moment even if an adapter ignores its signal: a hung vendor never holds a pool
 * slot, the consumer or a shutdown.
 *
 * Between the two policies each failure is classified by whose signal fired, before the breaker
 * sees it: the time limit is the vendor's fault (counts, HERALD_VENDOR_TIMEOUT); the caller's abort
 * is not (never counts, the message is handed back). Only vendor faults count at all: timeouts,
 * 5xx, connection errors; a rejected recipient or a 429 says nothing about the vendor's health.
 *
 * The breaker opens on a failure streak plus a failure rate (see streak-and-rate-breaker.ts);
 * while open the router sends the channel's traffic to the other vendors, and once
 * `breakerHalfOpenAfterMs` has passed one trial call decides whether the vendor is back.
 */
export class VendorPolicy {
  readonly settings: VendorSettings;
  readonly #breaker;
  #reopensAt = 0;

  constructor(settings: VendorSettings, now: () => number = Date.now) {
    this.settings = settings;
    this.#breaker = circuitBreaker(
      handleWhen((error) => isHeraldError(error) && error.vendorFault),
      {
        halfOpenAfter: settings.breakerHalfOpenAfterMs,
        breaker: new StreakAndRateBreaker(settings.breakerThreshold, now),
      },
    );
    this.#breaker.onBreak(() => {
      this.#reopensAt = now() + settings.breakerHalfOpenAfterMs;
    });
  }

  get state(): 'closed' | 'open' | 'half-open' {
    const state = this.#breaker.state;
    if (state === CircuitState.Closed) return 'closed';
    return state === CircuitState.HalfOpen ? 'half-open' : 'open';
  }

  /** Whether a call may go to this vendor now: closed, or open long enough for a trial call. */
  available(now: number): boolean {
    const state = this.#breaker.state;
    if (state === CircuitState.Closed) return true;
    // Half-open: the trial call is in flight; cockatiel would refuse a second one.
    return state === CircuitState.Open && now >= this.#reopensAt;
  }

  /**
   * Runs `call` under the breaker and a time limit of `timeoutMs` (read live from the remote config
   * by the caller, so a changed limit applies to the next call without resetting the breaker).
   * `call` receives the signal derived from `signal`; `signal` is the caller's (shutdown).
   */
  async execute<T>(
    call: (signal: AbortSignal) => Promise<T>,
    options: { readonly timeoutMs: number; readonly signal: AbortSignal },
  ): Promise<T> {
    try {
      return await this.#breaker.execute(
        ({ signal }) => withinTimeLimit(call, options.timeoutMs, signal),
        options.signal,
      );
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

/** The time limit, with the failure classified by whose signal fired (see VendorPolicy). */
async function withinTimeLimit<T>(
  call: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<T> {
  // abortOnReturn off: cockatiel would otherwise abort the derived signal after every call that
  // returned, building an AbortError (a DOMException) and waking the adapter's listeners for nothing
  // (6% of a worker's CPU at a zero-latency vendor). A call that returned has nothing left to cancel.
  const limit = timeout(timeoutMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false });
  // Fires when the derived signal aborts before the call settles: at the limit or with the caller.
  let cut = false;
  const listener = limit.onTimeout(() => {
    cut = true;
  });
  try {
    return await limit.execute(({ signal: derived }) => call(derived), signal);
  } catch (error) {
    if (signal.aborted) throw callerAbort(error, signal);
    if (cut) {
      throw new HeraldError('HERALD_VENDOR_TIMEOUT', `no answer within ${timeoutMs} ms`, {
        retryable: true,
        vendorFault: true,
        cause: error,
      });
    }
    throw error;
  } finally {
    listener.dispose();
  }
}

/** The caller gave up (shutdown): its reason when it gave one, never the vendor's fault. */
function callerAbort(error: unknown, signal: AbortSignal): HeraldError {
  const reason: unknown = signal.reason;
  if (isHeraldError(reason) && !reason.vendorFault) return reason;
  return new HeraldError('HERALD_UNAVAILABLE', 'the vendor call was aborted by its caller', {
    retryable: true,
    cause: error,
  });
}
