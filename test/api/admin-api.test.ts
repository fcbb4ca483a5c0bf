import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_REMOTE_CONFIG } from '../../src/config/default-remote-config.ts';
import type { TestApp } from './test-app.ts';
import { ADMIN_KEY, auth, buildTestApp, CLIENT_KEY } from './test-app.ts';

function clone<T>(value: T): T {
  return structuredClone(value) as T;
}

/** The default config as plain mutable data, to break one field at a time. */
interface MutableConfig {
  routing: Record<string, { vendor: string; weight: number }[]>;
  vendors: Record<string, Record<string, number>>;
  lanes: Record<string, Record<string, number>>;
}

function mutableConfig(): MutableConfig {
  // Through JSON: the default shares one settings object between vendors, and a clone would too.
  return JSON.parse(JSON.stringify(DEFAULT_REMOTE_CONFIG)) as MutableConfig;
}

describe('admin API', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.app.close());

  const admin = auth(ADMIN_KEY);
  const putConfig = (document: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'PUT',
      url: '/admin/config',
      headers: { ...admin, ...headers },
      payload: document as object,
    });

  describe('access', () => {
    it('answers 403 HERALD_FORBIDDEN to a client key and 401 without a key', async () => {
      for (const [method, url] of [
        ['GET', '/admin/config'],
        ['PUT', '/admin/config'],
        ['GET', '/admin/templates/ORDER_SHIPPED?clientId=shop'],
        ['PUT', '/admin/templates/ORDER_SHIPPED/vendors/nhn-alimtalk'],
      ] as const) {
        const forbidden = await t.app.inject({ method, url, headers: auth(CLIENT_KEY), payload: {} });
        assert.equal(forbidden.statusCode, 403, `${method} ${url}`);
        assert.equal(forbidden.json().error.code, 'HERALD_FORBIDDEN');
        const anonymous = await t.app.inject({ method, url });
        assert.equal(anonymous.statusCode, 401);
      }
    });
  });

  describe('GET/PUT /admin/config', () => {
    it('returns the current config with its version as ETag', async () => {
      const response = await t.app.inject({ method: 'GET', url: '/admin/config', headers: admin });
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers.etag, `"${t.remoteConfig?.version}"`);
      assert.deepEqual(response.json().document, DEFAULT_REMOTE_CONFIG);
    });

    it('stores a valid document with a matching If-Match and refuses a stale one with 409', async () => {
      const version = t.remoteConfig?.version ?? 0;
      const document = { ...clone(DEFAULT_REMOTE_CONFIG), smsAutoUpgrade: false };
      const stored = await putConfig(document, { 'if-match': `"${version}"` });
      assert.equal(stored.statusCode, 200);
      assert.equal(stored.json().version, version + 1);
      assert.equal(stored.json().document.smsAutoUpgrade, false);
      assert.equal(stored.headers.etag, `"${version + 1}"`);

      const stale = await putConfig(document, { 'if-match': String(version) });
      assert.equal(stale.statusCode, 409);
      assert.equal(stale.json().error.code, 'HERALD_CONFIG_CONFLICT');
    });

    it('stores unconditionally without If-Match (or with *)', async () => {
      assert.equal((await putConfig(clone(DEFAULT_REMOTE_CONFIG))).statusCode, 200);
      assert.equal((await putConfig(clone(DEFAULT_REMOTE_CONFIG), { 'if-match': '*' })).statusCode, 200);
    });

    it('refuses an If-Match that is not a version', async () => {
      const response = await putConfig(clone(DEFAULT_REMOTE_CONFIG), { 'if-match': 'yesterday' });
      assert.equal(response.statusCode, 400);
      assert.match(response.json().error.message, /if-match/);
    });

    it('refuses shape errors with HERALD_INVALID_CONFIG and the field path', async () => {
      const negativeWeight = mutableConfig();
      negativeWeight.routing.sms![1]!.weight = -1;
      const zeroTimeout = mutableConfig();
      zeroTimeout.vendors['fcm']!.timeoutMs = 0;
      const zeroConcurrency = mutableConfig();
      zeroConcurrency.lanes.ad!.sendConcurrency = 0;
      const { vms: _vms, ...routingWithoutVms } = DEFAULT_REMOTE_CONFIG.routing;
      const cases: [unknown, RegExp][] = [
        [negativeWeight, /: routing\.sms\[1\]\.weight must be >= 0/],
        [zeroTimeout, /: vendors\.fcm\.timeoutMs must be >= 1000/],
        [zeroConcurrency, /: lanes\.ad\.sendConcurrency must be >= 1/],
        [{ ...DEFAULT_REMOTE_CONFIG, routing: routingWithoutVms }, /: routing\.vms is required/],
        [
          { ...DEFAULT_REMOTE_CONFIG, routing: { ...DEFAULT_REMOTE_CONFIG.routing, email: [] } },
          /: routing\.email must have at least 1 entry/,
        ],
        [{ ...DEFAULT_REMOTE_CONFIG, smsAutoUpgrade: 'yes' }, /: smsAutoUpgrade must be a boolean/],
      ];
      for (const [document, message] of cases) {
        const response = await putConfig(document);
        assert.equal(response.statusCode, 400);
        assert.equal(response.json().error.code, 'HERALD_INVALID_CONFIG');
        assert.match(response.json().error.message, message);
      }
    });

    it('refuses cross-field violations with HERALD_INVALID_CONFIG, listing every one', async () => {
      const version = t.remoteConfig?.version;
      const document = mutableConfig();
      document.routing.push!.push({ vendor: 'sim-huawei', weight: 10 });
      delete document.vendors['solapi-vms'];
      const response = await putConfig(document);
      assert.equal(response.statusCode, 400);
      const { code, message } = response.json().error;
      assert.equal(code, 'HERALD_INVALID_CONFIG');
      assert.match(message, /3 problem/);
      assert.match(message, /routing\.push\[2\]: vendor "sim-huawei" has no adapter in this deployment/);
      assert.match(message, /routing\.push\[2\]: vendor "sim-huawei" has no entry in vendors/);
      assert.match(message, /routing\.vms\[0\]: vendor "solapi-vms" has no entry in vendors/);
      assert.equal(t.remoteConfig?.version, version);
    });

    it('refuses each value that broke sending, listing all of them, and stores nothing', async () => {
      const version = t.remoteConfig?.version;
      const document = mutableConfig();
      document.vendors['nhn-sms']!.timeoutMs = 3e9;
      (document as unknown as { retry: Record<string, number> }).retry.baseDelayMs = 3e9;
      document.lanes.batch!.maxInFlight = 1e9;
      document.lanes.batch!.sendConcurrency = 1e9;
      document.routing.sms = [{ vendor: 'apns', weight: 1 }];
      const response = await putConfig(document);
      assert.equal(response.statusCode, 400);
      const { code, message } = response.json().error;
      assert.equal(code, 'HERALD_INVALID_CONFIG');
      for (const part of [
        /vendors\.nhn-sms\.timeoutMs must be <= 60000/,
        /retry\.baseDelayMs must be <= 600000/,
        /lanes\.batch\.maxInFlight must be <= 20000/,
        /lanes\.batch\.sendConcurrency must be <= 1000/,
        /routing\.sms\[0\]: vendor "apns" does not serve sms/,
      ]) {
        assert.match(message, part);
      }
      assert.equal(t.remoteConfig?.version, version);
    });
  });

  describe('templates', () => {
    const putTemplate = (code: string, payload: object) =>
      t.app.inject({
        method: 'PUT',
        url: `/admin/templates/${code}`,
        headers: admin,
        payload: { clientId: 'shop', ...payload },
      });

    it("registers a client's template and reads it back", async () => {
      const put = await putTemplate('WELCOME_1', {
        body: '#{name}님 환영합니다',
        buttons: [{ type: 'WL', name: '바로가기', linkMobile: 'https://m.example.com' }],
        fallbackBody: '#{name}님 환영합니다',
      });
      assert.equal(put.statusCode, 200);
      assert.equal(put.json().outcome, 'created');
      const get = await t.app.inject({
        method: 'GET',
        url: '/admin/templates/WELCOME_1?clientId=shop',
        headers: admin,
      });
      assert.equal(get.statusCode, 200);
      assert.deepEqual([get.json().clientId, get.json().state, get.json().version], ['shop', 'draft', 1]);
      assert.equal(get.json().buttons[0].linkMobile, 'https://m.example.com');
      const list = await t.app.inject({ method: 'GET', url: '/admin/templates', headers: admin });
      assert.ok(list.json().templates.some((template: { code: string }) => template.code === 'WELCOME_1'));
    });

    it("answers 404 for a code the client does not have (another client's included)", async () => {
      const response = await t.app.inject({
        method: 'GET',
        url: '/admin/templates/ORDER_SHIPPED?clientId=rider',
        headers: admin,
      });
      assert.equal(response.statusCode, 404);
      assert.equal(response.json().error.code, 'HERALD_NOT_FOUND');
    });

    it('refuses invalid templates with the field named', async () => {
      const cases: [string, object, string, RegExp][] = [
        ['T1', { body: 'x', fallbackBody: '환영 😀' }, 'HERALD_NOT_EUC_KR', /^fallbackBody/],
        [
          'T2',
          { body: 'x', buttons: [{ type: 'WL', name: 'go' }] },
          'HERALD_VALIDATION_FAILED',
          /^buttons\[0\]\.linkMobile/,
        ],
        [
          'T3',
          { body: 'x', buttons: [{ type: 'WL', name: '가'.repeat(15), linkMobile: 'https://a' }] },
          'HERALD_VALIDATION_FAILED',
          /^buttons\[0\]\.name must be at most 14/,
        ],
        [
          'T4',
          { body: 'x', buttons: [{ type: 'WL', name: 'go', linkMobile: 'javascript:alert(1)' }] },
          'HERALD_VALIDATION_FAILED',
          /^buttons\[0\]\.linkMobile/,
        ],
        ['bad%20code', { body: 'x' }, 'HERALD_VALIDATION_FAILED', /^path parameter code/],
        ['T5', { body: 'a'.repeat(1001) }, 'HERALD_VALIDATION_FAILED', /^body must be at most 1000/],
      ];
      for (const [code, payload, errorCode, message] of cases) {
        const response = await putTemplate(code, payload);
        assert.equal(response.statusCode, 400, code);
        assert.equal(response.json().error.code, errorCode, code);
        assert.match(response.json().error.message, message);
      }
    });
  });
});
