import type { FastifyInstance } from 'fastify';
import { SafeImageFetcher } from '../adapters/media/safe-image-fetcher.ts';
import { buildApp } from '../api/build-app.ts';
import { buildOperationsApp } from '../api/build-operations-app.ts';
import { findRemoteConfigProblems } from '../api/remote-config-rules.ts';
import { DEFAULT_RATE_LIMITS, DEFAULT_REMOTE_CONFIG } from '../config/default-remote-config.ts';
import type { EnvConfig } from '../config/env-config.ts';
import { productionEngines } from '../config/production-engine-rules.ts';
import { upgradeRemoteConfig } from '../config/upgrade-remote-config.ts';
import { createAdmission } from '../core/admission/admission.ts';
import type { ReceiptSink } from '../core/domain/delivery-receipt.ts';
import { LANES, type Lane } from '../core/domain/lane.ts';
import type { RemoteConfigDocument } from '../core/domain/remote-config.ts';
import { HISTORY_PARTITIONS, HISTORY_TOPIC } from '../core/history/history-log.ts';
import { PublishingHistoryStore } from '../core/history/publishing-history-store.ts';
import { ReadYourWritesHistory } from '../core/history/read-your-writes-history.ts';
import { RecentAcceptances } from '../core/history/recent-acceptances.ts';
import { DEV_RECIPIENT_HASH_SECRET } from '../core/identity/recipient-privacy.ts';
import { createUnsubscribeLinks } from '../core/identity/unsubscribe-token.ts';
import type { LaneWorker } from '../core/pipeline/lane-worker.ts';
import { allHeraldTopics } from '../core/pipeline/topics.ts';
import type { ReceiptsWorker } from '../core/receipts/receipts-worker.ts';
import { TopicReceiptSink } from '../core/receipts/topic-receipt-sink.ts';
import { recipientsLabel } from '../core/submission/accept-stages.ts';
import type { Logger } from '../observability/logger.ts';
import { HeraldMetrics } from '../observability/metrics.ts';
import type { AcceptedRequest } from '../ports/history-store.ts';
import type { SenderRegistry } from '../ports/sender-registry.ts';
import { createSigningCertificates } from '../vendors/ses/sns-certificates.ts';
import { type ApiAccessOptions, provideApiAccess } from './api-access.ts';
import { buildCallbacks, type Callbacks } from './callbacks.ts';
import { registerDevSenders } from './dev-senders.ts';
import { checkHealth } from './health.ts';
import { openHistoryStats } from './history-stats.ts';
import { pointSimulatorReceiptsAt } from './in-process-receipt-urls.ts';
import { LiveConfig } from './live-config.ts';
import { pinnedSnsCertificates } from './simulator-sns-trust.ts';
import { closeStores, openRateLimiter, openStores, openVendorRate, type Stores } from './stores.ts';
import { templateVendorContext } from './template-vendors.ts';
import { simulatedVendors, startVendorFleet, type VendorFleet } from './vendor-fleet.ts';
import { opened, startWorkers } from './workers.ts';

/** Which parts run in this process. `herald start` runs them all. */
export interface Roles {
  readonly api: boolean;
  readonly lanes: readonly Lane[];
  /** Lanes whose retry topic this process re-dispatches. */
  readonly retryLanes: readonly Lane[];
  /**
   * Whether this process folds the history log into the history store (`herald history-writer`;
   * one consumer group for the deployment). Absent: yes, as in `herald start`.
   */
  readonly historyWriter?: boolean;
}

export const ALL_ROLES: Roles = { api: true, lanes: LANES, retryLanes: LANES, historyWriter: true };

export interface StartOptions {
  /** Shows a dev API key generated at the first start on the embedded default (see api-access.ts). */
  readonly showDevKey?: (key: string) => void;
  /**
   * The workers' clock (night rule, retry times, releases); default Date.now. Tests step it to
   * cross 21:00 and 08:00 KST without waiting for the night.
   */
  readonly now?: () => number;
}

export interface RunningHerald {
  readonly stores: Stores;
  readonly config: LiveConfig;
  readonly metrics: HeraldMetrics;
  readonly fleet: VendorFleet;
  readonly lanes: readonly LaneWorker[];
  /** Status callbacks: the webhook store and registry, and the callbacks worker where it runs. */
  readonly callbacks: Callbacks;
  /** The receipts worker, where retry workers run (roles.retryLanes not empty). */
  readonly receipts: ReceiptsWorker | undefined;
  /** What vendor receipt webhooks hand receipts to: the receipts topic (docs/receipts.md). */
  readonly receiptSink: ReceiptSink;
  /** The HTTP server: the API, or in a process without it only /health and /metrics. */
  readonly app: FastifyInstance;
  /** The bound HTTP address, when the API runs. */
  readonly url: string | undefined;
  /** The bound address of /health and /metrics when the API does not run (HERALD_METRICS_PORT). */
  readonly operationsUrl: string | undefined;
  /**
   * Shutdown in order: stop HTTP, stop polling, let in-flight sends finish within the drain grace
   * and abort the rest, write outcomes, commit, close.
   */
  stop(): Promise<void>;
}

/**
 * Share of HERALD_SHUTDOWN_TIMEOUT_MS that in-flight sends get to finish before they are aborted;
 * the rest is for writing outcomes, committing and closing before the process is forced out.
 */
const DRAIN_GRACE_SHARE = 0.5;

/** The sender registry, opened where the API or a retry worker runs (see openStores above). */
function requiredSenders(stores: Stores): SenderRegistry {
  if (!stores.senders) throw new Error('the sender registry is not open in this process');
  return stores.senders;
}

/**
 * The composition root: the one place that builds adapters from configuration and wires them into
 * the core. Nothing else creates a store, a vendor or a server.
 */
export async function startHerald(
  env: EnvConfig,
  logger: Logger,
  roles: Roles = ALL_ROLES,
  options: StartOptions = {},
): Promise<RunningHerald> {
  warnAboutDevDefaults(env, logger);
  const stores = openStores(env, logger, {
    idempotency: roles.api,
    schedule: roles.retryLanes.length > 0,
    devices: roles.api || roles.lanes.length > 0,
    // The API checks senders; retry workers run the template sync, which walks Kakao channels.
    senders: roles.api || roles.retryLanes.length > 0,
  });
  const metrics = new HeraldMetrics();
  await stores.transport.ensureTopics([
    ...allHeraldTopics().map((name) => ({ name, partitions: env.partitions })),
    { name: HISTORY_TOPIC, partitions: HISTORY_PARTITIONS },
  ]);
  // The API and the workers write history through its log; only the history writer writes the
  // store itself (core/history).
  const history = new PublishingHistoryStore({ transport: stores.transport, projection: stores.history });
  // The API answers a request it accepted a moment ago from the idempotency store's record of it
  // until the history writer has applied it (read-your-writes).
  const readYourWrites = stores.idempotency
    ? new ReadYourWritesHistory({
        inner: history,
        recent: new RecentAcceptances(stores.idempotency, {
          onError: (error) => logger.warn({ err: error }, 'could not read a recently accepted request'),
        }),
        onError: (error) =>
          logger.warn({ err: error }, 'could not remember an accepted request; reads wait for history'),
      })
    : undefined;
  const apiHistory = readYourWrites ?? history;
  const simulated = simulatedVendors(env);
  const config = await LiveConfig.load({
    store: stores.config,
    defaults: DEFAULT_REMOTE_CONFIG,
    problemsOf: (document) => findRemoteConfigProblems(document, simulated),
    upgrade: upgradeRemoteConfig,
    logger,
    onRefused: () => metrics.remoteConfigRefused.inc(),
  });
  const fleet = await startVendorFleet(env, { config, logger, lanes: roles.lanes }).catch(async (error) => {
    config.close();
    await closeStores(stores);
    throw error;
  });
  await provideAccess(env, roles, options, { stores, config: config.current(), logger }).catch(
    async (error) => {
      config.close();
      await fleet.close();
      await closeStores(stores);
      throw error;
    },
  );
  let listeningAt: string | undefined;
  let boundPort: number | undefined;
  // Workers' status changes go to the clients' webhooks too (docs/callbacks.md); the callbacks
  // worker runs where the retry workers run, one per process.
  const callbacks = buildCallbacks({
    env,
    transport: stores.transport,
    history: stores.history,
    config: config.current,
    metrics,
    logger: logger.child({ component: 'callbacks' }),
    runWorker: roles.retryLanes.length > 0,
    schedule: stores.schedule,
    ownPorts: () => [env.port, env.metricsPort, ...(boundPort !== undefined ? [boundPort] : [])],
    ...(options.now && { now: options.now }),
  });
  // The embedded default learns its own address when it listens (port 0 in tests): links made
  // before that (records left from the last run) name the configured port.
  const unsubscribe = createUnsubscribeLinks({
    secret: env.unsubscribeSecret,
    recipientHashSecret: env.recipientHashSecret,
    baseUrl: () => env.publicUrl ?? listeningAt ?? `http://${env.host}:${env.port}`,
  });
  // One vendor rate for every lane of the process (each lane has buckets of its own in it).
  const vendorRate =
    roles.lanes.length > 0 ? openVendorRate(env, logger, () => metrics.vendorRateFallback.inc()) : undefined;
  const receiptSink = new TopicReceiptSink(stores.transport);
  const workers = await startWorkers({
    env,
    lanes: roles.lanes,
    retryLanes: roles.retryLanes,
    stores,
    config,
    fleet,
    callbacks,
    history,
    historyWriter: roles.historyWriter ?? true,
    unsubscribe,
    senders: () => requiredSenders(stores),
    ...(vendorRate && { vendorRate }),
    metrics,
    logger,
    ...(options.now && { now: options.now }),
  });

  let stopping = false;
  // Everything started so far, stopped in order: at stop, and when the API cannot start (a port in
  // use), so a failed start leaves no worker polling and no store open behind it.
  const stopWorkers = async () => {
    await workers.stop(Math.floor(env.shutdownTimeoutMs * DRAIN_GRACE_SHARE));
    config.close();
    await fleet.close();
    await vendorRate?.close();
    await closeStores(stores);
  };
  const health = () =>
    checkHealth({
      stores,
      ...workers.health,
      vendors: fleet.kinds,
      unbuiltVendors: fleet.unbuilt,
      stopping,
    });
  const limiter = roles.api ? openRateLimiter(env, logger, () => metrics.rateLimitFallback.inc()) : undefined;
  const historyStats = roles.api
    ? openHistoryStats(env, (error) => logger.warn({ err: error }, 'history stats connection failed'))
    : undefined;
  let app: FastifyInstance;
  let bound: string;
  try {
    app = limiter
      ? await buildApp({
          submission: {
            history: apiHistory,
            ...(readYourWrites && {
              rememberAccepted: (request: AcceptedRequest) => readYourWrites.rememberAccepted(request),
            }),
            transport: stores.transport,
            // Content dedup claims: the same dedup store the workers use, opened for every process.
            dedup: stores.dedup,
            idempotency: opened(stores.idempotency, 'idempotency'),
            countIdempotencyFailOpen: () => metrics.idempotencyFailOpen.inc(),
            acceptStages: (stage, ms, recipients) =>
              metrics.acceptStages.observe({ stage, recipients: recipientsLabel(recipients) }, ms / 1_000),
            templates: stores.templates,
            optOuts: stores.config,
            config: config.current,
            recipientHashSecret: env.recipientHashSecret,
            requestContentLimitBytes: env.requestContentLimitBytes,
            images: {
              imageHosts: requiredSenders(stores),
              fetcher: new SafeImageFetcher(),
              media: opened(stores.media, 'media'),
            },
          },
          history: apiHistory,
          configStore: stores.config,
          unsubscribeSecret: env.unsubscribeSecret,
          templates: {
            store: stores.templates,
            vendors: templateVendorContext(
              { get: (id) => fleet.forLane('batch').get(id) },
              config.current,
              requiredSenders(stores),
            ),
          },
          devices: opened(stores.devices, 'devices'),
          senders: opened(stores.senders, 'senders'),
          admission: createAdmission({
            limiter,
            rateLimits: () => config.current().rateLimits ?? DEFAULT_RATE_LIMITS,
            onLimited: (limit) => metrics.rateLimited.inc({ limit }),
          }),
          vendors: simulated,
          health,
          simulatorStats: fleet.simulator ? () => fleet.simulator!.stats() : undefined,
          metrics,
          logger,
          bodyLimitBytes: env.bodyLimitBytes,
          trustProxy: env.trustProxy,
          httpLimits: env.http,
          ...(historyStats && { stats: historyStats }),
          webhooks: callbacks.registry,
          receiptSink,
          receiptWebhooks: receiptWebhooks(env),
        })
      : await buildOperationsApp({ health, metrics, logger });
    bound = await app.listen({ host: env.host, port: roles.api ? env.port : env.metricsPort });
  } catch (error) {
    await limiter?.close().catch(() => {});
    await historyStats?.close().catch(() => {});
    await stopWorkers().catch((stopError) =>
      logger.warn({ err: stopError }, 'stopping after a failed start failed'),
    );
    throw error;
  }
  const url = roles.api ? bound : undefined;
  listeningAt = url;
  if (url !== undefined && fleet.simulator) {
    pointSimulatorReceiptsAt(fleet.simulator, url, env.solapiWebhookSecret);
  }
  boundPort = Number(new URL(bound).port);
  const operationsUrl = roles.api ? undefined : bound;
  logger.info(
    { url, operationsUrl, lanes: roles.lanes, retryLanes: roles.retryLanes, engines: stores.engines },
    'herald started',
  );

  return {
    stores,
    config,
    metrics,
    fleet,
    lanes: workers.lanes,
    callbacks,
    receipts: workers.receipts,
    receiptSink,
    app,
    url,
    operationsUrl,
    async stop() {
      stopping = true;
      await app.close();
      await limiter?.close();
      await historyStats?.close();
      await stopWorkers();
      logger.info('herald stopped');
    },
  };
}

/**
 * An API key to call with (api-access.ts) and, while simulators run, a sender number and Kakao
 * channel for its client (dev-senders.ts): a fresh start can send an SMS and an AlimTalk at once.
 */
async function provideAccess(
  env: EnvConfig,
  roles: Roles,
  options: StartOptions,
  context: { stores: Stores; config: RemoteConfigDocument; logger: Logger },
): Promise<void> {
  const { stores, logger } = context;
  const clientId = await provideApiAccess(stores.config, accessOptions(env, roles, options), logger);
  if (clientId === undefined || !roles.api || env.simulators === 'off') return;
  await registerDevSenders(opened(stores.senders, 'senders'), clientId, context.config, logger);
}

function accessOptions(env: EnvConfig, roles: Roles, options: StartOptions): ApiAccessOptions {
  return {
    bootstrapApiKey: env.bootstrapApiKey,
    embedded: productionEngines(env).length === 0,
    servesApi: roles.api,
    ...(options.showDevKey && { showDevKey: options.showDevKey }),
  };
}

/**
 * Once per start, never per request: on the embedded default herald runs on the published
 * development hash secret (production engines refuse to start without one of their own).
 */
function warnAboutDevDefaults(env: EnvConfig, logger: Logger): void {
  if (env.recipientHashSecret !== DEV_RECIPIENT_HASH_SECRET) return;
  logger.warn(
    'HERALD_RECIPIENT_HASH_SECRET is not set: recipient hashes (history lookups, opt-out lists) use the ' +
      'published development secret; fine for trying herald, set your own before real data (openssl rand -base64 32)',
  );
}

/** SOLAPI's report webhook (when its secret is set) and SES' notifications, for the API. */
function receiptWebhooks(env: EnvConfig) {
  const secret = env.solapiWebhookSecret;
  return {
    solapi: secret ? [{ secret, textVendor: 'solapi-sms', voiceVendor: 'solapi-vms' }] : [],
    ses: {
      certificates: createSigningCertificates({
        allowedHosts: env.sesNotifications.certificateHosts,
        pinned: pinnedSnsCertificates(env),
      }),
      ...(env.sesNotifications.topicArns && { topicArns: env.sesNotifications.topicArns }),
    },
  };
}
