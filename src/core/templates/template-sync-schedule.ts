import type { SyncDeps, SyncSummary } from './sync-templates.ts';
import { syncTemplates } from './sync-templates.ts';

/** The one logging call the schedule makes; a pino logger fits. */
export interface SyncLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

/** The first sync after a start: soon, so workers restarted more often than daily still sync. */
const FIRST_RUN_CAP_MS = 60_000;

/**
 * The daily template sync inside the retry worker process (HERALD_TEMPLATE_SYNC_INTERVAL_MS,
 * default 24 h; 0 turns it off). The first run comes a minute after start (or after the interval
 * when shorter), then one every interval. Runs never overlap; several processes syncing at once
 * is harmless (a review already recorded is neither written nor audited twice). A failed run is
 * logged and the next one comes on time.
 */
export class TemplateSyncSchedule {
  readonly #deps: SyncDeps;
  readonly #intervalMs: number;
  readonly #logger: SyncLogger;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  readonly #abort = new AbortController();

  constructor(deps: SyncDeps, intervalMs: number, logger: SyncLogger) {
    this.#deps = { ...deps, signal: this.#abort.signal };
    this.#intervalMs = intervalMs;
    this.#logger = logger;
  }

  start(): void {
    if (this.#intervalMs <= 0) return;
    this.#schedule(Math.min(FIRST_RUN_CAP_MS, this.#intervalMs));
  }

  /** Runs one sync now (and what the timer calls). */
  async runOnce(): Promise<SyncSummary | undefined> {
    try {
      const summary = await syncTemplates(this.#deps);
      this.#logger.info(
        {
          vendors: summary.vendors,
          compared: summary.compared,
          differences: summary.differences.length,
          applied: summary.applied,
          errors: summary.errors.length,
        },
        'template sync done',
      );
      return summary;
    } catch (error) {
      this.#logger.warn({ err: error }, 'template sync failed; the next run comes on schedule');
      return undefined;
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#abort.abort();
    await this.#running;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.runOnce().then(() => {
        this.#running = undefined;
        this.#schedule(this.#intervalMs);
      });
    }, delayMs);
    this.#timer.unref();
  }
}
