import type { Result } from 'ioredis';
import { pause } from '../../core/pipeline/abortable-wait.ts';
import type { VendorRate } from '../../ports/vendor-rate.ts';
import { LocalVendorRate } from '../vendor-rate/local-vendor-rate.ts';
import { TurnsByKey } from '../vendor-rate/turns-by-key.ts';
import { fallbackConnection, type RedisFallbackOptions } from './fallback-connection.ts';
import type { RedisConnection } from './redis-connection.ts';
import { TAKE_VENDOR_TOKENS } from './vendor-rate-script.ts';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    heraldTakeVendorTokens(
      key: string,
      ratePerSecond: number,
      capacity: number,
      need: number,
      want: number,
    ): Result<[number, number], Context>;
  }
}

export type RedisVendorRateOptions = RedisFallbackOptions;

/**
 * A process takes up to this many seconds' worth of tokens per round trip and spends them itself:
 * at 1,000/s that is one Redis call per 100 messages instead of one each. It never keeps more, so
 * N processes together hold at most N tenths of a second ahead of the shared rate.
 */
const CHUNK_SECONDS = 0.1;
/** Tokens kept longer than this are dropped: a process idle for a second has no claim on the next. */
const HELD_FOR_MS = 1_000;

interface Held {
  tokens: number;
  at: number;
}

/**
 * The production vendor rate: a token bucket per vendor in Redis (vendor-rate-script.ts), so the
 * worker processes of a lane share the vendor's rate instead of each sending at it.
 *
 * When Redis fails, sends go on at the full rate from a bucket in this process (counted through
 * `onFallback`): sending must not stop because Redis blinks, as dedup fails open the same way.
 * The cost is that N processes may together send up to N times the rate while it lasts; a
 * vendor's 429 then slows them through retries. Taking returns to Redis as soon as it answers.
 */
export class RedisVendorRate implements VendorRate {
  readonly #connection: RedisConnection;
  readonly #prefix: string;
  readonly #local = new LocalVendorRate();
  readonly #turns = new TurnsByKey();
  readonly #held = new Map<string, Held>();
  readonly #onFallback: (error: unknown) => void;

  constructor(options: RedisVendorRateOptions) {
    this.#prefix = options.keyPrefix ?? 'vr:';
    this.#onFallback = options.onFallback ?? (() => {});
    this.#connection = fallbackConnection('vendor rate', options);
    this.#connection.client.defineCommand('heraldTakeVendorTokens', {
      numberOfKeys: 1,
      lua: TAKE_VENDOR_TOKENS,
    });
  }

  acquire(bucket: string, messages: number, ratePerSecond: number, signal: AbortSignal): Promise<void> {
    // One caller per bucket at a time: one round trip serves the process's next calls from what it
    // took, instead of every concurrent send asking Redis for its own token.
    return this.#turns.run(bucket, signal, () => this.#take(bucket, messages, ratePerSecond, signal));
  }

  async close(): Promise<void> {
    this.#connection.close();
    await this.#local.close();
  }

  async #take(bucket: string, messages: number, ratePerSecond: number, signal: AbortSignal): Promise<void> {
    const held = this.#heldFor(bucket);
    for (;;) {
      signal.throwIfAborted();
      if (held.tokens >= messages) {
        held.tokens -= messages;
        return;
      }
      const need = messages - held.tokens;
      const want = Math.max(need, Math.ceil(ratePerSecond * CHUNK_SECONDS));
      let reply: [number, number];
      try {
        reply = await this.#connection.run('take', (client) =>
          client.heraldTakeVendorTokens(
            `${this.#prefix}${bucket}`,
            ratePerSecond,
            Math.max(1, ratePerSecond),
            need,
            want,
          ),
        );
      } catch (error) {
        this.#onFallback(error);
        held.tokens = 0;
        return this.#local.acquire(bucket, messages, ratePerSecond, signal);
      }
      const [granted, waitMs] = reply;
      if (granted > 0) {
        held.tokens += granted;
        held.at = performance.now();
      } else {
        await pause(Math.max(1, waitMs), signal);
      }
    }
  }

  #heldFor(bucket: string): Held {
    let held = this.#held.get(bucket);
    if (!held) {
      held = { tokens: 0, at: 0 };
      this.#held.set(bucket, held);
    }
    if (performance.now() - held.at > HELD_FOR_MS) held.tokens = 0;
    return held;
  }
}
