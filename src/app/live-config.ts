import type { RemoteConfig, RemoteConfigDocument } from '../core/domain/remote-config.ts';
import type { Logger } from '../observability/logger.ts';
import type { ConfigStore } from '../ports/config-store.ts';

export interface LiveConfigOptions {
  readonly store: Pick<ConfigStore, 'getRemoteConfig' | 'putRemoteConfig' | 'watchRemoteConfig'>;
  /** Stored on first start; also what a process runs on when the stored document is refused at start. */
  readonly defaults: RemoteConfigDocument;
  /** Every problem of a document, empty when it may be applied (remote-config-rules.ts). */
  readonly problemsOf: (document: unknown) => readonly string[];
  readonly logger: Logger;
  /** Told of each refused version (a metric). */
  readonly onRefused?: (version: number) => void;
}

/**
 * The remote config as this process sees it: read once at start (stored with the defaults on
 * first start), then kept current by the config store's watch. Readers call `current()` on every
 * use instead of copying values, which is what makes a change apply live.
 *
 * Every version is checked before it is applied, as a PUT is: a document that reaches the store
 * some other way (written by hand, or by an older herald whose rules were looser) is refused with
 * an error log, and the process keeps the last good one. At start there is no last good one yet,
 * so an invalid stored document gives way to the built-in defaults until a valid version arrives.
 */
export class LiveConfig {
  #config: RemoteConfig;
  readonly #listeners = new Set<(config: RemoteConfig) => void>();
  readonly #unwatch: () => void;

  private constructor(options: LiveConfigOptions, initial: RemoteConfig) {
    const { store, logger } = options;
    this.#config = initial;
    this.#unwatch = store.watchRemoteConfig((config) => {
      if (config.version <= this.#config.version) return;
      if (refused(options, config, `keeping version ${this.#config.version}`)) return;
      this.#config = config;
      logger.info({ version: config.version }, 'remote config applied');
      for (const listener of this.#listeners) listener(config);
    });
  }

  static async load(options: LiveConfigOptions): Promise<LiveConfig> {
    const { store, defaults } = options;
    const stored = (await store.getRemoteConfig()) ?? (await storeDefaults(store, defaults));
    // The stored version number is kept, so the next valid version stored is applied as usual.
    const initial = refused(
      options,
      stored,
      'running on the built-in defaults until a valid version is stored',
    )
      ? { ...stored, document: defaults }
      : stored;
    return new LiveConfig(options, initial);
  }

  get version(): number {
    return this.#config.version;
  }

  readonly current = (): RemoteConfigDocument => this.#config.document;

  onChange(listener: (config: RemoteConfig) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#unwatch();
    this.#listeners.clear();
  }
}

/** Whether `config` must not be applied; if so, says why in the log, and what happens instead. */
function refused(options: LiveConfigOptions, config: RemoteConfig, instead: string): boolean {
  const problems = options.problemsOf(config.document);
  if (problems.length === 0) return false;
  options.logger.error(
    { version: config.version, problems },
    `remote config version ${config.version} refused (${problems.length} problem(s)); ${instead}`,
  );
  options.onRefused?.(config.version);
  return true;
}

async function storeDefaults(
  store: LiveConfigOptions['store'],
  defaults: RemoteConfigDocument,
): Promise<RemoteConfig> {
  try {
    return await store.putRemoteConfig(defaults, 0);
  } catch {
    // Another process stored its defaults first: use what is there.
    const stored = await store.getRemoteConfig();
    if (!stored) throw new Error('remote config could be neither stored nor read');
    return stored;
  }
}
