/**
 * A start-up step (migrations, first partitions) run once, on first use. A failure is forgotten,
 * so the next call tries again: PostgreSQL may well be down when a worker starts, and the worker
 * must keep sending (its history writes retry) rather than crash or stay broken.
 */
export class StartOnce {
  readonly #work: () => Promise<void>;
  #running: Promise<void> | undefined;
  #done = false;

  constructor(work: () => Promise<void>) {
    this.#work = work;
  }

  run(): Promise<void> {
    if (this.#done) return Promise.resolve();
    this.#running ??= this.#work().then(
      () => {
        this.#done = true;
      },
      (error: unknown) => {
        this.#running = undefined;
        throw error;
      },
    );
    return this.#running;
  }
}
