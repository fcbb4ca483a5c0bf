import { abortable } from '../../core/pipeline/abortable-wait.ts';

/**
 * A line per key: work for one key runs one at a time, in the order it came. Why a line and not
 * callers racing for tokens: a bulk call of 500 waits for a full bucket, and single sends taking
 * a token each as it refills would starve it for as long as they keep coming.
 */
export class TurnsByKey {
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `work` once every earlier caller of `key` is done; a caller aborted in line takes no turn. */
  async run<T>(key: string, signal: AbortSignal, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const turn = Promise.withResolvers<void>();
    // The next caller waits for ours and, through it, for every earlier one: a caller leaving the
    // line early (aborted) never lets the next start before those ahead of it are done.
    const tail = previous.then(() => turn.promise);
    this.#tails.set(key, tail);
    try {
      await abortable(previous, signal);
      return await work();
    } finally {
      turn.resolve();
      void tail.then(() => {
        if (this.#tails.get(key) === tail) this.#tails.delete(key);
      });
    }
  }
}
