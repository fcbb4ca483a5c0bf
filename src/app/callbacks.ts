import { join } from 'node:path';
import { PostgresWebhookStore } from '../adapters/postgres/postgres-webhook-store.ts';
import { SqliteWebhookStore } from '../adapters/sqlite/sqlite-webhook-store.ts';
import type { EnvConfig } from '../config/env-config.ts';
import { CallbackClient } from '../core/callbacks/callback-client.ts';
import { callbackSettings } from '../core/callbacks/callback-settings.ts';
import { CallbacksWorker } from '../core/callbacks/callbacks-worker.ts';
import { NotifyingHistoryStore } from '../core/callbacks/notifying-history-store.ts';
import { SecretBox } from '../core/callbacks/secret-box.ts';
import { WebhookRegistry } from '../core/callbacks/webhook-registry.ts';
import type { RemoteConfigDocument } from '../core/domain/remote-config.ts';
import type { Logger } from '../observability/logger.ts';
import type { HeraldMetrics } from '../observability/metrics.ts';
import type { HistoryStore } from '../ports/history-store.ts';
import type { ScheduleStore } from '../ports/schedule-store.ts';
import type { Transport } from '../ports/transport.ts';
import type { WebhookStore } from '../ports/webhook-store.ts';
import { loadWebhookKey } from './webhook-key.ts';

export interface CallbacksContext {
  readonly env: EnvConfig;
  readonly transport: Transport;
  readonly history: HistoryStore;
  readonly config: () => RemoteConfigDocument;
  readonly metrics: HeraldMetrics;
  readonly logger: Logger;
  /** Whether this process runs the callbacks worker (one per process that runs retry workers). */
  readonly runWorker: boolean;
  /** Where the worker parks retries due later (the retry workers' schedule store). */
  readonly schedule?: ScheduleStore | undefined;
  /** herald's own listening ports, never called back (known only once the server listens). */
  readonly ownPorts: () => readonly number[];
  readonly now?: () => number;
}

export interface Callbacks {
  readonly store: WebhookStore;
  /** The workers' history store: writes, then tells the clients with a webhook (herald.callbacks). */
  readonly history: HistoryStore;
  /** Tells clients of status changes history already has (a receipt redelivered after a crash). */
  readonly notifier: Pick<NotifyingHistoryStore, 'notify'>;
  readonly registry: WebhookRegistry;
  readonly worker: CallbacksWorker | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The status-callback parts of a process (docs/callbacks.md), built from configuration. */
export function buildCallbacks(context: CallbacksContext): Callbacks {
  const { env, logger } = context;
  const store = openWebhookStore(env);
  const box = new SecretBox(loadWebhookKey(env, logger));
  const settings = () => callbackSettings(context.config());
  const history = new NotifyingHistoryStore({
    inner: context.history,
    transport: context.transport,
    webhooks: store,
    onError: (error, items) => logger.warn({ err: error, items }, 'callback produce failed'),
  });
  const client = new CallbackClient({ settings, ownPorts: context.ownPorts });
  const worker = context.runWorker
    ? new CallbacksWorker({
        transport: context.transport,
        ...(context.schedule && { schedule: context.schedule }),
        webhooks: store,
        box,
        client,
        config: context.config,
        metrics: context.metrics,
        logger,
        ...(context.now && { now: context.now }),
      })
    : undefined;
  const registry = new WebhookRegistry({ store, box, settings, ownPorts: context.ownPorts });
  return {
    store,
    history,
    notifier: history,
    registry,
    worker,
    start: async () => worker?.start(),
    async stop() {
      await worker?.stop();
      await history.close();
      await client.close();
      await store.close();
    },
  };
}

function openWebhookStore(env: EnvConfig): WebhookStore {
  return env.databaseUrl
    ? new PostgresWebhookStore({
        connectionString: env.databaseUrl,
        ...(env.namespace ? { schema: `herald_${env.namespace}` } : {}),
      })
    : new SqliteWebhookStore({ path: join(env.dataDir, 'webhooks.db') });
}
