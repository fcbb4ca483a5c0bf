import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SqliteConfigStore } from '../../src/adapters/sqlite/sqlite-config-store.ts';
import { type ApiAccessOptions, provideApiAccess } from '../../src/app/api-access.ts';
import { ConfigError } from '../../src/config/env-config.ts';
import { hashApiKey } from '../../src/core/auth/api-keys.ts';
import { recordingLogger } from '../support/recording-logger.ts';

const OLD_KEY = 'old-bootstrap-key-0123456789abcdef';
const NEW_KEY = 'new-bootstrap-key-0123456789abcdef';

describe('API access at start', () => {
  let dir: string;
  let store: SqliteConfigStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'herald-access-'));
    store = new SqliteConfigStore({ path: join(dir, 'config.db') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const embedded = (overrides: Partial<ApiAccessOptions> = {}): ApiAccessOptions => ({
    bootstrapApiKey: undefined,
    embedded: true,
    servesApi: true,
    ...overrides,
  });

  it('a new bootstrap key replaces the old one, and the log says so without either key', async () => {
    const log = recordingLogger();
    await provideApiAccess(store, embedded({ bootstrapApiKey: OLD_KEY }), log.logger);
    await provideApiAccess(store, embedded({ bootstrapApiKey: NEW_KEY }), log.logger);
    assert.equal(await store.findApiKeyByHash(hashApiKey(OLD_KEY)), undefined, 'the old key stops working');
    assert.equal((await store.findApiKeyByHash(hashApiKey(NEW_KEY)))?.role, 'admin');
    assert.match(log.records.at(-1)!.msg, /replaces the previous bootstrap key/);
    assert.ok(!log.text().includes(OLD_KEY) && !log.text().includes(NEW_KEY));

    await provideApiAccess(store, embedded({ bootstrapApiKey: NEW_KEY }), log.logger);
    assert.equal(log.records.length, 2, 'the same key again: nothing to say');
  });

  it('refuses a bootstrap key that is stored already as another key, as a configuration error', async () => {
    await store.createApiKey(
      { keyId: 'shop-key', clientId: 'shop', role: 'client', name: 'cli' },
      hashApiKey(NEW_KEY),
    );
    await assert.rejects(
      provideApiAccess(store, embedded({ bootstrapApiKey: NEW_KEY }), recordingLogger().logger),
      (error) => error instanceof ConfigError && /already stored as API key "shop-key"/.test(error.message),
    );
  });

  it('generates a dev key once on the embedded default, shows it, and logs only that it did', async () => {
    const shown: string[] = [];
    const log = recordingLogger();
    const options = embedded({ showDevKey: (key) => shown.push(key) });
    await provideApiAccess(store, options, log.logger);
    assert.equal(shown.length, 1);
    const [key] = shown as [string];
    assert.match(key, /^hk_[A-Za-z0-9_-]{43}$/);
    assert.equal((await store.findApiKeyByHash(hashApiKey(key)))?.role, 'admin', 'stored as its hash');

    await provideApiAccess(store, options, log.logger);
    assert.equal(shown.length, 1, 'never shown again');
    assert.match(log.records.at(-1)!.msg, /dev API key exists.*keys create --client dev --admin/);
    assert.ok(!log.text().includes(key), 'the key never reaches the log');
  });

  it('on production engines, says how to create a key instead', async () => {
    const shown: string[] = [];
    const log = recordingLogger();
    await provideApiAccess(
      store,
      embedded({ embedded: false, showDevKey: (key) => shown.push(key) }),
      log.logger,
    );
    assert.deepEqual(shown, []);
    assert.equal(await store.findApiKeyById('dev'), undefined);
    assert.match(log.records[0]!.msg, /refused \(401\).*keys create --client <name> --admin/);
  });

  it('a process without the API neither generates a key nor talks about one', async () => {
    const shown: string[] = [];
    const log = recordingLogger();
    await provideApiAccess(
      store,
      embedded({ servesApi: false, showDevKey: (key) => shown.push(key) }),
      log.logger,
    );
    assert.deepEqual(shown, []);
    assert.deepEqual(log.records, []);
  });
});
