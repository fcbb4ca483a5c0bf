import assert from 'node:assert/strict';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { CONFIG_MIGRATIONS } from '../../../src/adapters/postgres/config-schema.ts';
import { HISTORY_MIGRATIONS } from '../../../src/adapters/postgres/history-schema.ts';
import { PostgresConfigStore } from '../../../src/adapters/postgres/postgres-config-store.ts';
import { PostgresHistoryStore } from '../../../src/adapters/postgres/postgres-history-store.ts';
import { DEFAULT_REMOTE_CONFIG } from '../../../src/config/default-remote-config.ts';
import type { RemoteConfig } from '../../../src/core/domain/remote-config.ts';
import { describeConfigStoreContract } from '../../contracts/config-store.contract.ts';
import { within } from '../../contracts/contract-helpers.ts';
import { ENGINE_URLS, engineSkip } from '../../support/engines.ts';
import { freePort } from '../../support/redis-server-process.ts';
import { TcpProxy } from '../../support/tcp-proxy.ts';
import { dropSchema, sql, uniqueSchema } from './postgres-test-schema.ts';

/** The port's promise. */
const WATCH_PROMISE_MS = 1_000;
const FAIL_FAST_BOUND_MS = 5_000;
/** Reconnect backoff is capped at 2 s; allow for a few attempts. */
const RECOVERY_BOUND_MS = 15_000;

const skip = await engineSkip('postgres');

/** Collects what a watcher is told, and waits for a given version. */
class Seen {
  readonly versions: number[] = [];
  readonly #waiting = new Map<number, () => void>();

  readonly onChange = (config: RemoteConfig): void => {
    this.versions.push(config.version);
    this.#waiting.get(config.version)?.();
  };

  arrival(version: number, withinMs: number): Promise<void> {
    if (this.versions.includes(version)) return Promise.resolve();
    const arrived = new Promise<void>((resolve) => this.#waiting.set(version, resolve));
    return within(withinMs, `version ${version} to reach the watcher`, arrived);
  }
}

describe('postgres config store', { skip }, () => {
  const schema = uniqueSchema();
  after(async () => dropSchema(schema));

  describeConfigStoreContract('postgres', async () => {
    const store = new PostgresConfigStore({ connectionString: ENGINE_URLS.postgres, schema });
    return { store, cleanup: () => store.close() };
  });

  describe('adapter only', () => {
    let open: { close(): Promise<void> }[];
    let schemas: string[];
    beforeEach(() => {
      open = [];
      schemas = [];
    });
    afterEach(async () => {
      await Promise.all(open.map((store) => store.close()));
      await Promise.all(schemas.map(dropSchema));
    });

    function freshSchema(): string {
      const name = uniqueSchema();
      schemas.push(name);
      return name;
    }

    function openStore(options: { schema?: string; connectionString?: string } = {}): PostgresConfigStore {
      const store = new PostgresConfigStore({
        connectionString: ENGINE_URLS.postgres,
        schema,
        connectTimeoutMs: 1_000,
        ...options,
      });
      open.push(store);
      return store;
    }

    it('a watcher sees a version stored by another store, over another connection, within a second', async () => {
      const worker = openStore();
      const admin = openStore();
      await worker.getRemoteConfig(); // as LiveConfig does: read, then watch from there
      const seen = new Seen();
      worker.watchRemoteConfig(seen.onChange);
      const stored = await admin.putRemoteConfig(DEFAULT_REMOTE_CONFIG);
      await seen.arrival(stored.version, WATCH_PROMISE_MS);
      const another = await admin.putRemoteConfig({ ...DEFAULT_REMOTE_CONFIG, smsAutoUpgrade: false });
      await seen.arrival(another.version, WATCH_PROMISE_MS);
      assert.deepEqual(seen.versions, [stored.version, another.version]);
    });

    it('expects version 0 before anything was stored', async () => {
      const store = openStore({ schema: freshSchema() });
      await assert.rejects(store.putRemoteConfig(DEFAULT_REMOTE_CONFIG, 1), {
        code: 'HERALD_CONFIG_CONFLICT',
      });
      assert.equal((await store.putRemoteConfig(DEFAULT_REMOTE_CONFIG, 0)).version, 1);
      await assert.rejects(store.putRemoteConfig(DEFAULT_REMOTE_CONFIG, 0), {
        code: 'HERALD_CONFIG_CONFLICT',
      });
    });

    it('lets one of two admins racing from the same version win, and refuses the other', async () => {
      const fresh = freshSchema();
      const [first, other] = [openStore({ schema: fresh }), openStore({ schema: fresh })];
      const base = await first.putRemoteConfig(DEFAULT_REMOTE_CONFIG);
      const results = await Promise.allSettled([
        first.putRemoteConfig(DEFAULT_REMOTE_CONFIG, base.version),
        other.putRemoteConfig(DEFAULT_REMOTE_CONFIG, base.version),
      ]);
      assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
      const refused = results.filter(
        (result): result is PromiseRejectedResult => result.status === 'rejected',
      );
      assert.equal((refused[0]?.reason as { code?: string } | undefined)?.code, 'HERALD_CONFIG_CONFLICT');
      assert.equal((await first.getRemoteConfig())?.version, base.version + 1);
    });

    it('runs the migrations once when config and history stores start together on a new schema', async () => {
      const fresh = freshSchema();
      const history = new PostgresHistoryStore({ connectionString: ENGINE_URLS.postgres, schema: fresh });
      open.push(history);
      await Promise.all([
        openStore({ schema: fresh }).ready(),
        openStore({ schema: fresh }).ready(),
        history.ready(),
      ]);
      await openStore({ schema: fresh }).ready();
      const versions = await sql(
        `SELECT component, version FROM "${fresh}".schema_migrations ORDER BY component, version`,
      );
      assert.deepEqual(
        versions,
        [CONFIG_MIGRATIONS, HISTORY_MIGRATIONS].flatMap(({ component, scripts }) =>
          scripts.map((_, i) => ({ component, version: i + 1 })),
        ),
      );
    });

    it('a watcher whose connection was cut catches up on what was stored meanwhile', async () => {
      const target = new URL(ENGINE_URLS.postgres);
      const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port) });
      try {
        target.host = `127.0.0.1:${proxy.port}`;
        const worker = openStore({ connectionString: target.toString() });
        const admin = openStore();
        await worker.getRemoteConfig();
        const seen = new Seen();
        worker.watchRemoteConfig(seen.onChange);
        const before = await admin.putRemoteConfig(DEFAULT_REMOTE_CONFIG);
        await seen.arrival(before.version, WATCH_PROMISE_MS); // the session listens

        await proxy.cut();
        const during = await admin.putRemoteConfig({ ...DEFAULT_REMOTE_CONFIG, smsAutoUpgrade: false });
        await proxy.restore();
        await seen.arrival(during.version, RECOVERY_BOUND_MS);
        assert.deepEqual(seen.versions, [before.version, during.version]);
      } finally {
        await proxy.cut();
      }
    });

    it('fails fast as unavailable when PostgreSQL cannot be reached, and says it is unhealthy', async () => {
      const store = openStore({ connectionString: `postgres://postgres@127.0.0.1:${await freePort()}/test` });
      const started = performance.now();
      await assert.rejects(store.getRemoteConfig(), { code: 'HERALD_UNAVAILABLE', retryable: true });
      await assert.rejects(store.putRemoteConfig(DEFAULT_REMOTE_CONFIG), { code: 'HERALD_UNAVAILABLE' });
      await assert.rejects(store.findApiKeyByHash('hash'), { code: 'HERALD_UNAVAILABLE' });
      assert.equal(await store.healthy(), false);
      const unsubscribe = store.watchRemoteConfig(() => {}); // watching an absent database does not throw
      unsubscribe();
      const took = performance.now() - started;
      assert.ok(took < FAIL_FAST_BOUND_MS, `took ${Math.round(took)} ms`);
    });

    it('keeps other watchers running when one throws', async () => {
      const store = openStore();
      await store.getRemoteConfig();
      store.watchRemoteConfig(() => {
        throw new Error('a broken subscriber');
      });
      const seen = new Seen();
      store.watchRemoteConfig(seen.onChange);
      const stored = await store.putRemoteConfig(DEFAULT_REMOTE_CONFIG);
      await seen.arrival(stored.version, WATCH_PROMISE_MS);
    });
  });
});
