import swagger from '@fastify/swagger';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import { DEFAULT_HTTP_LIMITS, type HttpLimitsConfig } from '../config/env-config.ts';
import type { Admission } from '../core/admission/admission.ts';
import { DEVICE_TOKEN_MAX } from '../core/content/recipients.ts';
import type { ReceiptSink } from '../core/domain/delivery-receipt.ts';
import { newId } from '../core/identity/ids.ts';
import type { SubmissionContext } from '../core/submission/submission-types.ts';
import type { Logger } from '../observability/logger.ts';
import type { ConfigStore } from '../ports/config-store.ts';
import type { HistoryStats } from '../ports/history-stats.ts';
import type { HistoryStore } from '../ports/history-store.ts';
import type { VendorCatalogue } from '../ports/vendor.ts';
import type { SigningCertificates } from '../vendors/ses/sns-certificates.ts';
import { createApiKeyAuthenticator } from './api-key-auth.ts';
import { refuseContentEncodings } from './content-encoding.ts';
import { installErrorHandling, sendError } from './error-handler.ts';
import { hardenedServerOptions, hardenServer } from './http-server.ts';
import { installStrictJsonParser } from './json-body-parser.ts';
import type { AdminConfigStore } from './plugins/admin-api.ts';
import { adminApi } from './plugins/admin-api.ts';
import type { DeviceStore } from './plugins/device-routes.ts';
import type { HealthReport } from './plugins/health.ts';
import { healthApi } from './plugins/health.ts';
import type { MetricsSource } from './plugins/metrics-api.ts';
import { metricsApi } from './plugins/metrics-api.ts';
import type { OptOutStore } from './plugins/opt-out-routes.ts';
import { publicApi } from './plugins/public-api.ts';
import { receiptWebhookRoutes, type SolapiAccount } from './plugins/receipt-webhook-routes.ts';
import type { SenderStore } from './plugins/sender-routes.ts';
import { sesNotificationRoutes } from './plugins/ses-notification-routes.ts';
import type { SimulatorStats } from './plugins/simulator-api.ts';
import { simulatorApi } from './plugins/simulator-api.ts';
import type { TemplateApiDeps } from './plugins/template-checks.ts';
import { unsubscribeRoutes } from './plugins/unsubscribe-routes.ts';
import type { WebhookApi } from './plugins/webhook-routes.ts';
import { QuietProbesLogController } from './request-log-controller.ts';
import { createSenderCache, type SenderCacheOptions } from './sender-cache.ts';

export interface BuildAppOptions {
  /** The submission use-case's stores; its sender lookups are this app's cache over `senders`. */
  readonly submission: Omit<SubmissionContext, 'senders'>;
  readonly history: Pick<HistoryStore, 'getRequest' | 'getMessage'>;
  /** API keys (auth), remote config (admin), advertising opt-outs (client). */
  readonly configStore: Pick<ConfigStore, 'findApiKeyByHash'> & AdminConfigStore & OptOutStore;
  /** The key ad e-mail's unsubscribe links are signed with (HERALD_UNSUBSCRIBE_SECRET). */
  readonly unsubscribeSecret: string;
  /** Clients' AlimTalk templates (/v1/templates, /admin/templates) and the vendors to submit to. */
  readonly templates: TemplateApiDeps;
  /** Push tokens of the clients' users (PUT/DELETE /v1/devices, GET /v1/users/:userId/devices). */
  readonly devices: DeviceStore;
  /**
   * Who each client sends as (sender numbers, Kakao channels, image hosts): the /v1 routes read and
   * replace it, and every SMS/LMS/MMS and AlimTalk request reads it through a short cache.
   */
  readonly senders: SenderStore;
  /** The cache of the submission's sender lookups (default: 5 s, stale-if-error 10 min). */
  readonly senderCache?: SenderCacheOptions;
  /** Per-client rate limits and failed-auth throttling (admission.ts). */
  readonly admission: Admission;
  /**
   * The vendors this deployment's simulator hosts (empty when none runs): PUT /admin/config may
   * route a channel only to one serving it, or to an fcm/apns vendor the document defines.
   */
  readonly vendors: VendorCatalogue;
  readonly health: () => Promise<HealthReport>;
  /** Given only when the vendor simulators run in this process; adds GET /_sim/stats. */
  readonly simulatorStats?: () => SimulatorStats;
  /** Adds GET /metrics (Prometheus text). */
  readonly metrics?: MetricsSource;
  readonly logger: Logger;
  /** Largest request body accepted; 100 recipients with variables fit easily in the default. */
  readonly bodyLimitBytes?: number;
  /**
   * Load balancers whose X-Forwarded-For is believed (addresses or CIDR ranges): the client address
   * that failed-auth throttling counts per. Empty: the socket's address.
   */
  readonly trustProxy?: readonly string[];
  /** How long an API key lookup is cached (a revoked key works at most this long). */
  readonly apiKeyCacheTtlMs?: number;
  /** Time limits and connection cap of the HTTP server (default: the env schema's defaults). */
  readonly httpLimits?: HttpLimitsConfig;
  /** Figures over history for GET /admin/stats (absent: no such route). */
  readonly stats?: Pick<HistoryStats, 'stats'>;
  /** Clients' status-callback registrations (/v1/webhooks); absent: the routes are not served. */
  readonly webhooks?: WebhookApi;
  /**
   * Where vendors' delivery-receipt webhooks hand what they receive: the receipts topic
   * (TopicReceiptSink). Webhook route plugins are registered with it.
   */
  readonly receiptSink?: ReceiptSink;
  /**
   * The vendors' receipt webhooks, served when `receiptSink` is given: SOLAPI's message reports
   * (the accounts whose secret is set) and SES' notifications through SNS.
   */
  readonly receiptWebhooks?: {
    readonly solapi: readonly SolapiAccount[];
    readonly ses: { readonly certificates: SigningCertificates; readonly topicArns?: readonly string[] };
  };
}

/** A device token in a path (percent-encoded at worst three bytes a character) fits. */
const MAX_PATH_PARAMETER_LENGTH = 3 * DEVICE_TOKEN_MAX;

/** An e-mail body may be 512 KiB; with JSON escaping and 100 recipients' vars, 2 MiB is enough. */
export const DEFAULT_BODY_LIMIT_BYTES = 2 * 1024 * 1024;

/**
 * Builds the HTTP API without listening (the caller listens; tests use `inject()`). Each surface is
 * an encapsulated plugin with its own hooks: /v1 (client keys), /admin (admin keys), /health and
 * /metrics (open), /_sim (simulators in-process only). The route schemas validate requests and
 * generate the OpenAPI document served at /openapi.json.
 */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const log = options.logger.child({ component: 'api' });
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const limits = options.httpLimits ?? DEFAULT_HTTP_LIMITS;
  const app = Fastify({
    // Typed as Fastify's logger interface so the instance type is the plain FastifyInstance.
    loggerInstance: log as FastifyBaseLogger,
    logController: new QuietProbesLogController(),
    ...hardenedServerOptions(limits, log),
    bodyLimit,
    genReqId: () => newId(),
    trustProxy: options.trustProxy?.length ? [...options.trustProxy] : false,
    // DELETE /v1/devices/:token: an FCM token is ~160 characters, past find-my-way's default of 100.
    routerOptions: { maxParamLength: MAX_PATH_PARAMETER_LENGTH },
    ajv: {
      // No type coercion: "1" is not a number and 5 is not a string in a JSON API; and unknown
      // fields are reported, not silently dropped, so a typo (expiresInSecond) is not ignored.
      customOptions: { coerceTypes: false, removeAdditional: false },
    },
    frameworkErrors: (error, request, reply) => sendError(request, reply, error),
  });
  // JSON only: without this Fastify's default text/plain parser would hand a string to the schema
  // (400) where the honest answer is 415.
  app.removeContentTypeParser('text/plain');
  installStrictJsonParser(app, bodyLimit);
  refuseContentEncodings(app);
  hardenServer(app, limits, log);
  installErrorHandling(app);
  await registerOpenApi(app);

  const authenticator = createApiKeyAuthenticator(options.configStore, { ttlMs: options.apiKeyCacheTtlMs });
  const senderCache = createSenderCache(options.senders, options.senderCache);
  const submission: SubmissionContext = {
    ...options.submission,
    senders: senderCache,
    logger: options.submission.logger ?? options.logger.child({ component: 'submission' }),
  };
  await app.register(publicApi, {
    prefix: '/v1',
    submission,
    optOuts: options.configStore,
    devices: options.devices,
    templates: options.templates,
    senders: { senders: options.senders, changed: (clientId) => senderCache.forget(clientId) },
    history: options.history,
    authenticator,
    admission: options.admission,
    ...(options.webhooks && { webhooks: options.webhooks }),
  });
  if (options.receiptSink && options.receiptWebhooks) {
    const { solapi, ses } = options.receiptWebhooks;
    // Public: each vendor proves itself its own way (a secret in the URL, SNS' signature).
    await app.register(receiptWebhookRoutes, { prefix: '/v1', sink: options.receiptSink, solapi });
    await app.register(sesNotificationRoutes, {
      sink: options.receiptSink,
      certificates: ses.certificates,
      ...(ses.topicArns && { topicArns: ses.topicArns }),
    });
  }
  // Public, beside /v1 rather than inside it: the signed token is the credential, not an API key.
  await app.register(unsubscribeRoutes, {
    prefix: '/v1',
    optOuts: options.configStore,
    secret: options.unsubscribeSecret,
  });
  await app.register(adminApi, {
    prefix: '/admin',
    configStore: options.configStore,
    templates: options.templates,
    authenticator,
    admission: options.admission,
    vendors: options.vendors,
    ...(options.stats && { stats: options.stats }),
  });
  await app.register(healthApi, { health: options.health });
  if (options.metrics) {
    await app.register(metricsApi, { metrics: options.metrics });
  }
  if (options.simulatorStats) {
    await app.register(simulatorApi, { simulatorStats: options.simulatorStats });
  }
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.ready();
  return app;
}

/** The OpenAPI document the route schemas generate, served at /openapi.json. */
async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'herald',
        version: '1',
        description: 'Multi-channel message sending. Error codes: docs/errors.md.',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
    },
  });
}
