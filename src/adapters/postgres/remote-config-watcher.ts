import type { Client, Notification } from 'pg';
import type { RemoteConfig } from '../../core/domain/remote-config.ts';
import { quoteIdentifier } from './pg-connection.ts';

export interface RemoteConfigWatcherOptions {
  /** A new, unconnected client for the LISTEN session (a session of its own, outside any pool). */
  readonly newClient: () => Client;
  readonly channel: string;
  readonly readLatestVersion: () => Promise<number>;
  /** Every stored version above `version`, oldest first. */
  readonly readNewerThan: (version: number) => Promise<RemoteConfig[]>;
  /** Safety net beside NOTIFY: versions are re-read, and the session checked, this often. */
  readonly pollIntervalMs: number;
  readonly onError: (error: unknown) => void;
}

interface Subscriber {
  readonly onChange: (config: RemoteConfig) => void;
  /** The last version this subscriber has (undefined until the first read sets its starting point). */
  seen: number | undefined;
}

const MAX_RECONNECT_DELAY_MS = 2_000;

/**
 * Delivers every new remote config version to subscribers, in order, within a second: a NOTIFY
 * (sent in the same transaction as the insert, so it arrives only once the version is readable)
 * triggers a read of every version newer than what each subscriber has. The read, not the
 * notification's payload, is the source of truth, so a notification lost while the session was
 * down costs nothing: after every (re)connect, and on a slow timer, the watcher reads again.
 *
 * A subscriber starts from the newest version this store has seen (a get or a put), so
 * "get, then watch" never misses a version stored in between; with none seen yet, from the newest
 * version once the session listens.
 */
export class RemoteConfigWatcher {
  readonly #options: RemoteConfigWatcherOptions;
  readonly #subscribers = new Set<Subscriber>();
  #knownVersion: number | undefined;
  #running = false;
  /** The LISTEN session, from the start of its connection until it is lost. */
  #session: Client | undefined;
  #listening: Promise<void> = Promise.resolve();
  #pollTimer: NodeJS.Timeout | undefined;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #reconnectAttempt = 0;
  #checking: Promise<void> | undefined;
  #checkAgain = false;

  constructor(options: RemoteConfigWatcherOptions) {
    this.#options = options;
  }

  /** Tells the watcher a version this process read or wrote. */
  noteVersion(version: number): void {
    this.#knownVersion = Math.max(this.#knownVersion ?? 0, version);
  }

  subscribe(onChange: (config: RemoteConfig) => void): () => void {
    const subscriber: Subscriber = { onChange, seen: this.#knownVersion };
    this.#subscribers.add(subscriber);
    if (!this.#running) this.#start();
    return () => {
      this.#subscribers.delete(subscriber);
      if (this.#subscribers.size === 0) this.stop();
    };
  }

  /** Settles once the session listens and has caught up (or failed to), so a later put is seen. */
  settled(): Promise<void> {
    return this.#listening;
  }

  stop(): void {
    this.#running = false;
    this.#subscribers.clear();
    clearInterval(this.#pollTimer);
    clearTimeout(this.#reconnectTimer);
    this.#listening = Promise.resolve();
    const session = this.#session;
    this.#session = undefined;
    session?.end().catch(() => {});
  }

  #start(): void {
    this.#running = true;
    this.#listening = this.#connect();
    this.#pollTimer = setInterval(() => this.#poll(), this.#options.pollIntervalMs);
    this.#pollTimer.unref();
  }

  async #connect(): Promise<void> {
    const client = this.#options.newClient();
    this.#session = client;
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client));
    client.on('notification', (message: Notification) => {
      if (message.channel === this.#options.channel) void this.#check();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${quoteIdentifier(this.#options.channel)}`);
    } catch (error) {
      this.#lost(client, error);
      return;
    }
    if (this.#session !== client) return; // stopped or lost meanwhile
    this.#reconnectAttempt = 0;
    await this.#check(); // whatever was stored while nobody listened
  }

  /** The session failed or ended: drop it and, while anyone is subscribed, connect again soon. */
  #lost(client: Client, error?: unknown): void {
    if (error !== undefined && this.#running) this.#options.onError(error);
    if (this.#session !== client) return; // an old session's second signal (error, then end)
    this.#session = undefined;
    client.end().catch(() => {});
    if (!this.#running) return;
    const delay = Math.min(100 * 2 ** this.#reconnectAttempt++, MAX_RECONNECT_DELAY_MS);
    this.#reconnectTimer = setTimeout(() => {
      if (this.#running && this.#session === undefined) this.#listening = this.#connect();
    }, delay);
    this.#reconnectTimer.unref();
  }

  /** Reads again (in case a notification was missed) and checks the session still answers. */
  #poll(): void {
    void this.#check();
    const session = this.#session;
    session?.query('SELECT 1').catch((error: unknown) => this.#lost(session, error));
  }

  /** One read at a time; a request during a read runs another right after, so nothing is skipped. */
  #check(): Promise<void> {
    if (this.#checking) {
      this.#checkAgain = true;
      return this.#checking;
    }
    this.#checking = (async () => {
      do {
        this.#checkAgain = false;
        try {
          await this.#deliverNewer();
        } catch (error) {
          this.#options.onError(error);
        }
      } while (this.#checkAgain && this.#running);
    })().finally(() => {
      this.#checking = undefined;
    });
    return this.#checking;
  }

  async #deliverNewer(): Promise<void> {
    const subscribers = [...this.#subscribers];
    if (subscribers.length === 0) return;
    if (subscribers.some((subscriber) => subscriber.seen === undefined)) {
      const latest = await this.#options.readLatestVersion();
      for (const subscriber of subscribers) subscriber.seen ??= latest;
      this.noteVersion(latest);
    }
    const from = Math.min(...subscribers.map((subscriber) => subscriber.seen ?? 0));
    for (const config of await this.#options.readNewerThan(from)) {
      this.noteVersion(config.version);
      for (const subscriber of subscribers) {
        if (!this.#subscribers.has(subscriber) || (subscriber.seen ?? 0) >= config.version) continue;
        subscriber.seen = config.version;
        this.#deliver(subscriber, config);
      }
    }
  }

  #deliver(subscriber: Subscriber, config: RemoteConfig): void {
    try {
      subscriber.onChange(config);
    } catch (error) {
      this.#options.onError(error); // one broken subscriber does not keep the others from the change
    }
  }
}
