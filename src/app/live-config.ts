import type { RemoteConfig, RemoteConfigDocument } from '../core/domain/remote-config.ts';
import type { Logger } from '../observability/logger.ts';
import type { ConfigStore } from '../ports/config-store.ts';

/**
 * The remote config as this process sees it: read once at start (stored with the defaults on
 * first start), then kept current by the config store's watch. Readers call `current()` on every
 * use instead of copying values, which is what makes a change apply live.
 */
export class LiveConfig {
  #config: RemoteConfig;
  readonly #listeners = new Set<(config: RemoteConfig) => void>();
  readonly #unwatch: () => void;

  private constructor(store: ConfigStore, initial: RemoteConfig, logger: Logger) {
    this.#config = initial;
    this.#unwatch = store.watchRemoteConfig((config) => {
      if (config.version <= this.#config.version) return;
      this.#config = config;
      logger.info({ version: config.version }, 'remote config applied');
      for (const listener of this.#listeners) listener(config);
    });
  }

  static async load(store: ConfigStore, defaults: RemoteConfigDocument, logger: Logger): Promise<LiveConfig> {
    const stored = (await store.getRemoteConfig()) ?? (await storeDefaults(store, defaults));
    return new LiveConfig(store, stored, logger);
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

async function storeDefaults(store: ConfigStore, defaults: RemoteConfigDocument): Promise<RemoteConfig> {
  try {
    return await store.putRemoteConfig(defaults, 0);
  } catch {
    // Another process stored its defaults first: use what is there.
    const stored = await store.getRemoteConfig();
    if (!stored) throw new Error('remote config could be neither stored nor read');
    return stored;
  }
}
