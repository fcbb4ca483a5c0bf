import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createMemoryRateLimiter } from '../../src/adapters/rate-limit/flexible-rate-limiter.ts';
import { SqliteDeviceRegistry } from '../../src/adapters/sqlite/sqlite-device-registry.ts';
import { SqliteSenderRegistry } from '../../src/adapters/sqlite/sqlite-sender-registry.ts';
import { SqliteTemplateStore } from '../../src/adapters/sqlite/sqlite-template-store.ts';
import type { BuildAppOptions } from '../../src/api/build-app.ts';
import { buildApp } from '../../src/api/build-app.ts';
import type { HealthReport } from '../../src/api/plugins/health.ts';
import { DEFAULT_RATE_LIMITS, SIMULATOR_VENDORS } from '../../src/config/default-remote-config.ts';
import { createAdmission } from '../../src/core/admission/admission.ts';
import { hashApiKey } from '../../src/core/auth/api-keys.ts';
import { HeraldError } from '../../src/core/domain/errors.ts';
import type { RemoteConfig, RemoteConfigDocument } from '../../src/core/domain/remote-config.ts';
import type { TemplateVendor } from '../../src/core/templates/template-vendors.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import type { ApiKeyRecord } from '../../src/ports/config-store.ts';
import type { MessageView, RequestView } from '../../src/ports/history-store.ts';
import type { KakaoChannel } from '../../src/ports/sender-registry.ts';
import type { FakeSubmission } from '../core/submission/fake-submission-context.ts';
import { fakeSubmission, ORDER_TEMPLATE, TEST_SENDERS } from '../core/submission/fake-submission-context.ts';

export const CLIENT_KEY = 'hk_client-key-for-tests';
/** What the test app's unsubscribe links are signed with. */
export const TEST_UNSUBSCRIBE_SECRET = 'test-unsubscribe-secret-0123456789abcdef';
export const ADMIN_KEY = 'hk_admin-key-for-tests';
export const REVOKED_KEY = 'hk_revoked-key-for-tests';
/** A second client ("rider"), for what one client does to another. */
export const OTHER_CLIENT_KEY = 'hk_other-client-key-for-tests';

export interface TestApp {
  readonly app: FastifyInstance;
  readonly submission: FakeSubmission;
  readonly requests: Map<string, RequestView>;
  readonly messages: Map<string, MessageView>;
  /** The real embedded template store, in memory, holding ORDER_TEMPLATE (client shop, approved). */
  readonly templates: SqliteTemplateStore;
  /** The AlimTalk vendors template submissions go to (object literals; none by default). */
  templateVendors: TemplateVendor[];
  /** Kakao channels per client, for template submissions. */
  readonly kakaoChannels: Map<string, KakaoChannel[]>;
  /** The sender registry the API reads and writes ("shop", "rider" and "ops" have TEST_SENDERS). */
  readonly senders: SqliteSenderRegistry;
  /** How many key lookups reached the store (to see the cache working). */
  readonly keyLookups: { count: number };
  remoteConfig: RemoteConfig | undefined;
  health: HealthReport;
}

function keyRecord(
  keyId: string,
  clientId: string,
  role: ApiKeyRecord['role'],
  revokedAt: number | null = null,
) {
  return { keyId, clientId, role, name: keyId, createdAt: 0, revokedAt };
}

/**
 * buildApp over object-literal stores that implement only what the API calls. Rate limits are
 * enforced as in production, by a memory limiter, from `submission.config.rateLimits`.
 */
export async function buildTestApp(overrides: Partial<BuildAppOptions> = {}): Promise<TestApp> {
  const submission = fakeSubmission({ templates: [ORDER_TEMPLATE] });
  const keys = new Map<string, ApiKeyRecord>([
    [hashApiKey(CLIENT_KEY), keyRecord('k1', 'shop', 'client')],
    [hashApiKey(ADMIN_KEY), keyRecord('k2', 'ops', 'admin')],
    [hashApiKey(REVOKED_KEY), keyRecord('k3', 'shop', 'client', 1)],
    [hashApiKey(OTHER_CLIENT_KEY), keyRecord('k4', 'rider', 'client')],
  ]);
  // The embedded registry on an in-memory database; the test clients can send SMS, AlimTalk and e-mail.
  const senders = new SqliteSenderRegistry({ path: ':memory:' });
  for (const clientId of ['shop', 'rider', 'ops']) {
    await senders.putSenderNumbers(clientId, TEST_SENDERS.numbers);
    await senders.putKakaoChannels(clientId, TEST_SENDERS.channels);
    await senders.putEmailSenders(clientId, TEST_SENDERS.emailSenders ?? []);
  }
  const state = {
    senders,
    requests: new Map<string, RequestView>(),
    messages: new Map<string, MessageView>(),
    keyLookups: { count: 0 },
    remoteConfig: { version: 1, updatedAt: 0, document: submission.config } as RemoteConfig | undefined,
    health: { ready: true, components: { transport: { ok: true } } } as HealthReport,
  };
  const templates = new SqliteTemplateStore({ path: ':memory:' });
  await templates.save(ORDER_TEMPLATE, 0);
  const kakaoChannels = new Map<string, KakaoChannel[]>();
  const vendorState = { templateVendors: [] as TemplateVendor[] };
  const app = await buildApp({
    submission: { ...submission.context, templates },
    templates: {
      store: templates,
      vendors: {
        vendors: () => vendorState.templateVendors,
        channels: { listKakaoChannels: async (clientId) => kakaoChannels.get(clientId) ?? [] },
      },
      now: () => 2_000,
    },
    history: {
      async getRequest(clientId, requestId) {
        const view = state.requests.get(requestId);
        return view?.clientId === clientId ? view : undefined;
      },
      async getMessage(clientId, messageId) {
        const view = state.messages.get(messageId);
        return view?.clientId === clientId ? view : undefined;
      },
    },
    configStore: {
      async findApiKeyByHash(keyHash) {
        state.keyLookups.count += 1;
        return keys.get(keyHash);
      },
      async getRemoteConfig() {
        return state.remoteConfig;
      },
      async putRemoteConfig(document: RemoteConfigDocument, expectedVersion?: number) {
        const current = state.remoteConfig?.version ?? 0;
        if (expectedVersion !== undefined && expectedVersion !== current) {
          throw new HeraldError(
            'HERALD_CONFIG_CONFLICT',
            `config is at version ${current}, not ${expectedVersion}`,
          );
        }
        state.remoteConfig = { version: current + 1, updatedAt: 1_000, document };
        return state.remoteConfig;
      },
      addOptOut: submission.optOuts.addOptOut,
      removeOptOut: submission.optOuts.removeOptOut,
    },
    // The embedded adapter on an in-memory database: the real registry, nothing left on disk.
    devices: new SqliteDeviceRegistry({ path: ':memory:' }),
    senders,
    admission: createAdmission({
      limiter: createMemoryRateLimiter(),
      rateLimits: () => submission.config.rateLimits ?? DEFAULT_RATE_LIMITS,
    }),
    vendors: SIMULATOR_VENDORS,
    health: async () => state.health,
    logger: silentLogger(),
    unsubscribeSecret: TEST_UNSUBSCRIBE_SECRET,
    ...overrides,
  });
  const testApp: TestApp = {
    app,
    submission,
    ...state,
    templates,
    kakaoChannels,
    get templateVendors() {
      return vendorState.templateVendors;
    },
    set templateVendors(value) {
      vendorState.templateVendors = value;
    },
    get remoteConfig() {
      return state.remoteConfig;
    },
    set remoteConfig(value) {
      state.remoteConfig = value;
    },
    get health() {
      return state.health;
    },
    set health(value) {
      state.health = value;
    },
  };
  return testApp;
}

export const auth = (key: string = CLIENT_KEY) => ({ authorization: `Bearer ${key}` });

export function smsBody(overrides: Record<string, unknown> = {}) {
  return {
    channel: 'sms',
    lane: 'realtime',
    content: { body: 'Hello #{name}' },
    recipients: [{ to: '010-1234-5678', vars: { name: 'Kim' } }],
    ...overrides,
  };
}

export interface ListeningTestApp extends TestApp {
  readonly port: number;
  /** Closes every connection (a failed test may leave one open), then the app. */
  close(): Promise<void>;
}

/** buildTestApp listening on a free local port, for tests that speak raw HTTP over sockets. */
export async function listenTestApp(overrides: Partial<BuildAppOptions> = {}): Promise<ListeningTestApp> {
  const t = await buildTestApp(overrides);
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = t.app.server.address() as AddressInfo;
  return Object.assign(t, {
    port,
    async close() {
      t.app.server.closeAllConnections();
      await t.app.close();
    },
  });
}
