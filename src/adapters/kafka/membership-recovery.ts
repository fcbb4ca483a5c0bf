import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../observability/logger.ts';
import type { Client } from './kafka-group-client.ts';

export interface MembershipRecoverySettings {
  readonly client: Client;
  readonly retryDelayMs: number;
  /** Aborted when the consumer closes: recovery stops. */
  readonly closing: AbortSignal;
  readonly log: Logger;
}

/**
 * The client gave up rejoining (e.g. the broker was down longer than its retries): it sends no
 * more heartbeats, so nothing would ever recover by itself. Rejoin until it works.
 */
export class MembershipRecovery {
  readonly #settings: MembershipRecoverySettings;
  #recovering = false;

  constructor(settings: MembershipRecoverySettings) {
    this.#settings = settings;
  }

  /** Answers the client's 'error' event; one recovery at a time. */
  onClientError(error: Error): void {
    const { client, retryDelayMs, closing, log } = this.#settings;
    if (closing.aborted || this.#recovering) return;
    log.warn({ err: error }, 'kafka group membership failed; rejoining');
    this.#recovering = true;
    void (async () => {
      while (!closing.aborted) {
        try {
          await sleep(Math.max(retryDelayMs, 1_000), undefined, { signal: closing });
          await client.joinGroup({});
          break;
        } catch (rejoinError) {
          log.debug({ err: rejoinError }, 'kafka rejoin failed; retrying');
        }
      }
      this.#recovering = false;
    })();
  }
}
