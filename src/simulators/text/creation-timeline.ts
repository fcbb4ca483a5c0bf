/**
 * The ids a simulated vendor registered, in the order of their registration times, for searches by
 * date (NHN's result list by startCreateDate/endCreateDate): a bench run registers tens of
 * thousands of messages, so a search finds its window by binary search and reads only its page,
 * never scanning them all.
 */
export class CreationTimeline {
  readonly #at: number[] = [];
  readonly #ids: string[] = [];

  /** Registers `id` at `at` (epoch ms); after any registered at the same time. */
  add(at: number, id: string): void {
    // Registrations come in time order; a test clock set back is the rare one inserted in place.
    if (this.#at.length === 0 || at >= this.#at.at(-1)!) {
      this.#at.push(at);
      this.#ids.push(id);
      return;
    }
    const index = this.#firstAfter(at);
    this.#at.splice(index, 0, at);
    this.#ids.splice(index, 0, id);
  }

  /**
   * The ids registered from `from` to `to` (epoch ms, both inclusive), in registration order:
   * `count` of them, and the `limit` starting at `offset`.
   */
  between(from: number, to: number, offset: number, limit: number): { count: number; ids: string[] } {
    const start = this.#firstAtOrAfter(from);
    const end = this.#firstAfter(to);
    const count = Math.max(0, end - start);
    const first = start + Math.min(offset, count);
    return { count, ids: this.#ids.slice(first, Math.min(end, first + limit)) };
  }

  #firstAtOrAfter(at: number): number {
    return this.#search((value) => value >= at);
  }

  #firstAfter(at: number): number {
    return this.#search((value) => value > at);
  }

  /** The first index whose time satisfies `past` (monotonic over the sorted times). */
  #search(past: (value: number) => boolean): number {
    let low = 0;
    let high = this.#at.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (past(this.#at[middle]!)) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}
