import type { RemoteConfig, RemoteConfigDocument } from '../core/domain/remote-config.ts';
import type { Logger } from '../observability/logger.ts';
import type { ConfigStore } from '../ports/config-store.ts';

export interface LiveConfigOptions {
  readonly store: Pick<ConfigStore, 'getRemoteConfig' | 'putRemoteConfig' | 'watchRemoteConfig'>;
  /** Stored on first start; also what a process runs on when the stored document is refused at start. */
  readonly defaults: RemoteConfigDocument;
  /** Every problem of a document, empty when it may be applied (remote-config-rules.ts). */
  readonly problemsOf: (document: unknown) => readonly string[];
  /**
   * Brings a document stored by an older herald up to date (upgrade-remote-config.ts), or
   * undefined when it is current. Applied once at start, and stored as a new version.
   */
  readonly upgrade?: (document: unknown) => { document: unknown; changes: readonly string[] } | undefined;
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
    const stored = await upgradeStored(
      options,
      (await store.getRemoteConfig()) ?? (await storeDefaults(store, defaults)),
    );
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

/**
 * The stored version, upgraded and stored again if an older herald wrote it. Against the version
 * read (If-Match), so when several processes start at once one stores the upgrade and the others
 * read it; a refused upgrade (it would not pass the rules) is left for the rules to report.
 */
async function upgradeStored(options: LiveConfigOptions, stored: RemoteConfig): Promise<RemoteConfig> {
  const upgrade = options.upgrade?.(stored.document);
  if (!upgrade || options.problemsOf(upgrade.document).length > 0) return stored;
  try {
    const upgraded = await options.store.putRemoteConfig(
      upgrade.document as RemoteConfigDocument,
      stored.version,
    );
    options.logger.warn(
      { from: stored.version, version: upgraded.version, changes: upgrade.changes },
      `remote config version ${stored.version} was stored by an older herald; upgraded as version ${upgraded.version}`,
    );
    return upgraded;
  } catch {
    // Another process stored its upgrade (or an admin a new version) first: use what is there.
    return (await options.store.getRemoteConfig()) ?? stored;
  }
}
