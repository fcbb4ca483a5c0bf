import { ConfigError } from '../config/env-config.ts';
import { MAKE_A_SECRET } from '../config/production-engine-rules.ts';
import { generateApiKey, hashApiKey } from '../core/auth/api-keys.ts';
import type { Logger } from '../observability/logger.ts';
import type { ConfigStore } from '../ports/config-store.ts';

/** Ids of the keys herald stores itself: the one HERALD_BOOTSTRAP_API_KEY names, the generated dev key. */
export const BOOTSTRAP_KEY_ID = 'bootstrap';
export const DEV_KEY_ID = 'dev';
/** The clients of those keys. */
export const BOOTSTRAP_CLIENT_ID = 'default';
export const DEV_CLIENT_ID = 'dev';

const CREATE_A_KEY = 'npm run herald -- keys create --client <name> --admin';

export interface ApiAccessOptions {
  readonly bootstrapApiKey: string | undefined;
  /** No production engine: herald on one machine, for trying it out. */
  readonly embedded: boolean;
  /** Whether this process serves the API (a dev key is for calling it). */
  readonly servesApi: boolean;
  /**
   * Shows a newly generated dev key to the person who started herald, once. Never the logger:
   * logs are shipped and kept, a terminal is not. Without it no dev key is generated.
   */
  readonly showDevKey?: (key: string) => void;
}

type KeyStore = Pick<ConfigStore, 'putApiKey' | 'findApiKeyById' | 'createApiKey'>;

/**
 * Makes sure someone can call the API, and says how. With HERALD_BOOTSTRAP_API_KEY, that key is
 * stored under the id `bootstrap`, replacing the previous bootstrap key (rotation is a restart).
 * Without it: on the embedded default, a dev admin key is generated at the first start and shown
 * once; later starts say it exists. On production engines, start says how to create a key, since
 * every call is refused until one exists. No key is ever written to the log.
 * Answers the client of the key it provided (bootstrap or dev), if any: the one a newcomer calls with.
 */
export async function provideApiAccess(
  store: KeyStore,
  options: ApiAccessOptions,
  logger: Logger,
): Promise<string | undefined> {
  if (options.bootstrapApiKey !== undefined) {
    await storeBootstrapKey(store, options.bootstrapApiKey, logger);
    return BOOTSTRAP_CLIENT_ID;
  }
  if (!options.servesApi) return undefined;
  if (options.embedded && options.showDevKey) {
    await provideDevKey(store, options.showDevKey, logger);
    return DEV_CLIENT_ID;
  }
  logger.warn(
    `no HERALD_BOOTSTRAP_API_KEY: every API call is refused (401) until a key exists. Create one with ` +
      `the same configuration: ${CREATE_A_KEY}, or set HERALD_BOOTSTRAP_API_KEY (${MAKE_A_SECRET})`,
  );
}

async function storeBootstrapKey(store: KeyStore, key: string, logger: Logger): Promise<void> {
  const result = await store.putApiKey(
    { keyId: BOOTSTRAP_KEY_ID, clientId: BOOTSTRAP_CLIENT_ID, role: 'admin', name: 'bootstrap' },
    hashApiKey(key),
  );
  switch (result.outcome) {
    case 'taken':
      // A configuration mistake, said as one: start stops with this message, not a stack trace.
      throw new ConfigError([
        `HERALD_BOOTSTRAP_API_KEY is already stored as API key "${result.byKeyId}"; ` +
          `give the bootstrap key a value of its own (${MAKE_A_SECRET})`,
      ]);
    case 'created':
      logger.info({ keyId: BOOTSTRAP_KEY_ID }, 'bootstrap API key stored (client "default", admin role)');
      return;
    case 'replaced':
      logger.warn(
        { keyId: BOOTSTRAP_KEY_ID },
        'HERALD_BOOTSTRAP_API_KEY changed: the new key replaces the previous bootstrap key, which no longer works',
      );
      return;
    case 'unchanged':
      if (result.record.revokedAt !== null) {
        logger.warn(
          { keyId: BOOTSTRAP_KEY_ID },
          'the bootstrap API key was revoked and stays revoked; set a new HERALD_BOOTSTRAP_API_KEY to replace it',
        );
      }
  }
}

async function provideDevKey(store: KeyStore, show: (key: string) => void, logger: Logger): Promise<void> {
  const existing = await store.findApiKeyById(DEV_KEY_ID);
  if (existing) return devKeyExists(existing.revokedAt !== null, logger);
  const key = generateApiKey();
  try {
    await store.createApiKey(
      { keyId: DEV_KEY_ID, clientId: DEV_CLIENT_ID, role: 'admin', name: 'dev key generated at first start' },
      hashApiKey(key),
    );
  } catch (error) {
    // Another process on the same data directory generated it a moment ago.
    const raced = await store.findApiKeyById(DEV_KEY_ID);
    if (raced) return devKeyExists(raced.revokedAt !== null, logger);
    throw error;
  }
  show(key);
  logger.info({ keyId: DEV_KEY_ID }, 'generated a dev API key (admin) and showed it once on the terminal');
}

function devKeyExists(revoked: boolean, logger: Logger): void {
  const state = revoked ? 'was revoked' : 'exists (shown once, at the first start)';
  logger.info(
    { keyId: DEV_KEY_ID },
    `no HERALD_BOOTSTRAP_API_KEY: the dev API key ${state}; to make another: ${CREATE_A_KEY.replace('<name>', 'dev')}`,
  );
}
