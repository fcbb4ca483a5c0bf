import type { FastifyInstance } from 'fastify';
import { buildApp } from '../api/build-app.ts';
import { DEFAULT_REMOTE_CONFIG } from '../config/default-remote-config.ts';
import type { EnvConfig } from '../config/env-config.ts';
import { hashApiKey } from '../core/auth/api-keys.ts';
import { LANES, type Lane } from '../core/domain/lane.ts';
import { LaneWorker } from '../core/pipeline/lane-worker.ts';
import { RetryWorker } from '../core/pipeline/retry-worker.ts';
import { allTopics } from '../core/pipeline/topics.ts';
import { VendorRouter } from '../core/routing/vendor-router.ts';
import type { Logger } from '../observability/logger.ts';
import { HeraldMetrics } from '../observability/metrics.ts';
import { checkHealth } from './health.ts';
import { LiveConfig } from './live-config.ts';
import { closeStores, openStores, type Stores } from './stores.ts';
import { startVendorFleet, type VendorFleet } from './vendor-fleet.ts';

/** Which parts run in this process. `herald start` runs them all. */
export interface Roles {
  readonly api: boolean;
  readonly lanes: readonly Lane[];
  /** Lanes whose retry topic this process re-dispatches. */
  readonly retryLanes: readonly Lane[];
}

export const ALL_ROLES: Roles = { api: true, lanes: LANES, retryLanes: LANES };

export interface RunningHerald {
  readonly stores: Stores;
  readonly config: LiveConfig;
  readonly metrics: HeraldMetrics;
  readonly fleet: VendorFleet;
  readonly lanes: readonly LaneWorker[];
  readonly app: FastifyInstance | undefined;
  /** The bound HTTP address, when the API runs. */
  readonly url: string | undefined;
  /** Shutdown in order: stop HTTP, drain lanes (in-flight sends finish, outcomes written), commit, close. */
  stop(): Promise<void>;
}

/**
 * The composition root: the one place that builds adapters from configuration and wires them into
 * the core. Nothing else creates a store, a vendor or a server.
 */
export async function startHerald(
  env: EnvConfig,
  logger: Logger,
  roles: Roles = ALL_ROLES,
): Promise<RunningHerald> {
  const stores = openStores(env, logger);
  const metrics = new HeraldMetrics();
  await stores.transport.ensureTopics(allTopics().map((name) => ({ name, partitions: env.partitions })));
  const config = await LiveConfig.load(stores.config, DEFAULT_REMOTE_CONFIG, logger);
  await seedBootstrapKey(stores, env, logger);
  const fleet = await startVendorFleet(env);
  const common = {
    transport: stores.transport,
    history: stores.history,
    config: config.current,
    metrics,
    logger,
  };
  // One router per lane, over that lane's own vendor pools: breakers judge a vendor by the lane's
  // own calls, so time-outs a batch flood causes itself never shut a vendor for real-time traffic.
  const lanes = roles.lanes.map(
    (lane) =>
      new LaneWorker({
        ...common,
        lane,
        dedup: stores.dedup,
        templates: stores.config,
        router: new VendorRouter({ vendors: fleet.forLane(lane), config: config.current }),
      }),
  );
  const retries = roles.retryLanes.map((lane) => new RetryWorker({ ...common, lane }));
  config.onChange(() => {
    for (const lane of lanes) lane.applyConfig();
  });
  await Promise.all([...lanes.map((lane) => lane.start()), ...retries.map((retry) => retry.start())]);

  let stopping = false;
  const app = roles.api
    ? await buildApp({
        submission: {
          history: stores.history,
          transport: stores.transport,
          idempotency: stores.idempotency,
          countIdempotencyFailOpen: () => metrics.idempotencyFailOpen.inc(),
          templates: stores.config,
          optOuts: stores.config,
          config: config.current,
          recipientHashSecret: env.recipientHashSecret,
        },
        history: stores.history,
        configStore: stores.config,
        health: () => checkHealth({ stores, lanes, stopping }),
        simulatorStats: fleet.simulator ? () => fleet.simulator!.stats() : undefined,
        metrics,
        logger,
        bodyLimitBytes: env.bodyLimitBytes,
      })
    : undefined;
  const url = app ? await app.listen({ host: env.host, port: env.port }) : undefined;
  logger.info(
    { url, lanes: roles.lanes, retryLanes: roles.retryLanes, engines: stores.engines },
    'herald started',
  );

  return {
    stores,
    config,
    metrics,
    fleet,
    lanes,
    app,
    url,
    async stop() {
      stopping = true;
      await app?.close();
      await Promise.all([...lanes.map((lane) => lane.stop()), ...retries.map((retry) => retry.stop())]);
      config.close();
      await fleet.close();
      await closeStores(stores);
      logger.info('herald stopped');
    },
  };
}

async function seedBootstrapKey(stores: Stores, env: EnvConfig, logger: Logger): Promise<void> {
  if (!env.bootstrapApiKey) return;
  const keyHash = hashApiKey(env.bootstrapApiKey);
  if (await stores.config.findApiKeyByHash(keyHash)) return;
  await stores.config.createApiKey(
    { keyId: 'bootstrap', clientId: 'default', role: 'admin', name: 'bootstrap' },
    keyHash,
  );
  logger.info('bootstrap API key stored (client "default", admin role)');
}
