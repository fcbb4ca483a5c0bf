import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SqliteSenderRegistry } from '../../src/adapters/sqlite/sqlite-sender-registry.ts';
import type { SenderRegistry } from '../../src/ports/sender-registry.ts';
import { envelopes, ORDER_TEMPLATE, TEST_SENDERS } from '../core/submission/fake-submission-context.ts';
import { ADMIN_KEY, auth, buildTestApp, OTHER_CLIENT_KEY, smsBody, type TestApp } from './test-app.ts';

const NHN_KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

/** PUT/GET /v1/sender-numbers, /v1/kakao-channels, /v1/image-hosts, and what submission makes of them. */
describe('sender routes', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp();
  });
  afterEach(async () => {
    await t.app.close();
    await t.senders.close();
  });

  const call = (method: 'GET' | 'PUT', url: string, payload?: object, key?: string) =>
    t.app.inject({ method, url, headers: auth(key), ...(payload && { payload }) });
  const send = (body: object) =>
    t.app.inject({ method: 'POST', url: '/v1/messages', headers: auth(), payload: body });
  const alimtalk = {
    channel: 'alimtalk',
    lane: 'realtime',
    template: { code: ORDER_TEMPLATE.code, vars: { name: 'Kim', orderNo: 'A-1' } },
    recipients: [{ to: '010-1234-5678' }],
  };

  describe('sender numbers', () => {
    it("lets an admin replace a client's numbers (normalised) and the client read them", async () => {
      const put = await call(
        'PUT',
        '/v1/sender-numbers',
        {
          clientId: 'shop',
          numbers: [
            { number: '1588-1234', label: 'support' },
            { number: '02-1234-5678', isDefault: true },
          ],
        },
        ADMIN_KEY,
      );
      assert.equal(put.statusCode, 200, put.body);
      assert.deepEqual(
        put.json().numbers.map((n: { number: string; isDefault: boolean }) => [n.number, n.isDefault]),
        [
          ['0212345678', true],
          ['15881234', false],
        ],
        'a kept number keeps its first registration, so it comes first',
      );
      const own = await call('GET', '/v1/sender-numbers');
      assert.equal(own.statusCode, 200);
      assert.deepEqual(own.json(), put.json());
      const asAdmin = await call('GET', '/v1/sender-numbers?clientId=shop', undefined, ADMIN_KEY);
      assert.deepEqual(asAdmin.json(), put.json());
    });

    it('keeps registration to admins and each client to its own list', async () => {
      const put = await call('PUT', '/v1/sender-numbers', { clientId: 'shop', numbers: [] });
      assert.equal(put.statusCode, 403);
      assert.equal(put.json().error.code, 'HERALD_FORBIDDEN');
      const peek = await call('GET', '/v1/sender-numbers?clientId=shop', undefined, OTHER_CLIENT_KEY);
      assert.equal(peek.statusCode, 403);
      assert.equal(
        (await call('GET', '/v1/sender-numbers?clientId=shop')).statusCode,
        200,
        'its own id is fine',
      );
      assert.equal((await t.senders.listSenderNumbers('shop')).length, 1, 'nothing changed');
    });

    it('refuses a bad list with 400 naming the entry, storing nothing', async () => {
      for (const [numbers, field] of [
        [[{ number: '0212345678' }, { number: '12345' }], 'numbers[1].number'],
        [
          [
            { number: '0212345678', isDefault: true },
            { number: '15881234', isDefault: true },
          ],
          'numbers',
        ],
      ] as const) {
        const put = await call('PUT', '/v1/sender-numbers', { clientId: 'shop', numbers }, ADMIN_KEY);
        assert.equal(put.statusCode, 400);
        assert.equal(put.json().error.code, 'HERALD_VALIDATION_FAILED');
        assert.match(put.json().error.message, new RegExp(field.replace(/[[\]]/g, '\\$&')));
      }
      const unknown = await call(
        'PUT',
        '/v1/sender-numbers',
        { clientId: 'shop', numbers: [], extra: 1 },
        ADMIN_KEY,
      );
      assert.equal(unknown.statusCode, 400);
      assert.deepEqual(
        (await t.senders.listSenderNumbers('shop')).map((n) => n.number),
        TEST_SENDERS.numbers.map((n) => n.number),
      );
    });
  });

  describe('submission', () => {
    it('sends from a registered number, or the default, and carries it on the envelope', async () => {
      await call(
        'PUT',
        '/v1/sender-numbers',
        { clientId: 'shop', numbers: [{ number: '0212345678' }, { number: '15881234' }] },
        ADMIN_KEY,
      );
      assert.equal((await send(smsBody({ from: '1588-1234' }))).statusCode, 202);
      assert.equal((await send(smsBody())).statusCode, 202);
      assert.deepEqual(
        envelopes(t.submission.produced).map((e) => e.from),
        ['15881234', '0212345678'],
      );
    });

    it('refuses an unregistered from with 422 HERALD_SENDER_NOT_REGISTERED, at once after a PUT, queueing nothing', async () => {
      assert.equal((await send(smsBody())).statusCode, 202, 'the seeded default');
      await call('PUT', '/v1/sender-numbers', { clientId: 'shop', numbers: [] }, ADMIN_KEY);
      for (const body of [smsBody(), smsBody({ channel: 'lms', from: '0212345678' })]) {
        const refused = await send(body);
        assert.equal(refused.statusCode, 422);
        assert.equal(refused.json().error.code, 'HERALD_SENDER_NOT_REGISTERED');
      }
      assert.equal(t.submission.produced.length, 1);
    });

    it('sends an AlimTalk through the default Kakao channel, and refuses it without one', async () => {
      const channels = [
        { name: '@shop', senderIds: { 'sim-kakao-a': '@shop', 'nhn-alimtalk': NHN_KEY }, isDefault: true },
      ];
      const put = await call('PUT', '/v1/kakao-channels', { clientId: 'shop', channels }, ADMIN_KEY);
      assert.equal(put.statusCode, 200, put.body);
      assert.equal((await send(alimtalk)).statusCode, 202);
      const [envelope] = envelopes(t.submission.produced);
      assert.deepEqual(envelope?.kakaoSenders, channels[0]!.senderIds);
      assert.equal(envelope?.from, TEST_SENDERS.numbers[0]!.number, 'the fallback goes from the default');
      await call('PUT', '/v1/kakao-channels', { clientId: 'shop', channels: [] }, ADMIN_KEY);
      const refused = await send(alimtalk);
      assert.equal(refused.statusCode, 422);
      assert.equal(refused.json().error.code, 'HERALD_KAKAO_CHANNEL_NOT_REGISTERED');
    });
  });

  describe('e-mail senders', () => {
    const email = (extra: object = {}) => ({
      channel: 'email',
      lane: 'realtime',
      content: { subject: 'Your order', body: 'It shipped.' },
      recipients: [{ to: 'kim@example.com' }],
      ...extra,
    });

    it("lets an admin replace a client's e-mail senders, and the client read them", async () => {
      const put = await call(
        'PUT',
        '/v1/email-senders',
        {
          clientId: 'shop',
          senders: [
            { address: 'orders@Shop.Example', name: ' Shop 주문 ' },
            { address: 'news@shop.example', isDefault: true },
          ],
        },
        ADMIN_KEY,
      );
      assert.equal(put.statusCode, 200, put.body);
      assert.deepEqual(
        put
          .json()
          .senders.map((e: { address: string; name?: string; isDefault: boolean }) => [
            e.address,
            e.name,
            e.isDefault,
          ]),
        [
          ['orders@shop.example', 'Shop 주문', false],
          ['news@shop.example', undefined, true],
        ],
      );
      assert.deepEqual((await call('GET', '/v1/email-senders')).json(), put.json());
      assert.equal(
        (await call('PUT', '/v1/email-senders', { clientId: 'shop', senders: [] })).statusCode,
        403,
      );
      assert.equal(
        (await call('GET', '/v1/email-senders?clientId=shop', undefined, OTHER_CLIENT_KEY)).statusCode,
        403,
      );
    });

    it('refuses a bad list naming the entry: not an address, listed twice, two defaults, a name with a line break', async () => {
      for (const [senders, code, field] of [
        [
          [{ address: 'a@shop.example' }, { address: 'not-an-address' }],
          'HERALD_INVALID_EMAIL',
          'senders[1].address',
        ],
        [
          [{ address: 'a@shop.example' }, { address: 'a@SHOP.example' }],
          'HERALD_VALIDATION_FAILED',
          'senders[1].address',
        ],
        [
          [
            { address: 'a@shop.example', isDefault: true },
            { address: 'b@shop.example', isDefault: true },
          ],
          'HERALD_VALIDATION_FAILED',
          'senders',
        ],
        [
          [{ address: 'a@shop.example', name: 'Shop\r\nBcc: x@evil.example' }],
          'HERALD_CONTROL_CHARACTER',
          'senders[0].name',
        ],
        [[{ address: 'a@shop.example', name: 'Shop\u2028' }], 'HERALD_CONTROL_CHARACTER', 'senders[0].name'],
        [
          [{ address: 'a@shop.example\r\nBcc: x@evil.example' }],
          'HERALD_CONTROL_CHARACTER',
          'senders[0].address',
        ],
      ] as const) {
        const put = await call('PUT', '/v1/email-senders', { clientId: 'shop', senders }, ADMIN_KEY);
        assert.equal(put.json().error?.code, code, put.body);
        assert.ok(put.json().error.message.includes(field), put.body);
      }
      assert.deepEqual(
        (await t.senders.listEmailSenders('shop')).map((e) => e.address),
        TEST_SENDERS.emailSenders?.map((e) => e.address),
      );
    });

    it('sends from a registered address with its name, or the default; refuses an unregistered one with 422', async () => {
      await call(
        'PUT',
        '/v1/email-senders',
        {
          clientId: 'shop',
          senders: [
            { address: 'orders@shop.example', name: 'Shop', isDefault: true },
            { address: 'news@shop.example' },
          ],
        },
        ADMIN_KEY,
      );
      assert.equal((await send(email())).statusCode, 202);
      const given = await send(email({ from: 'news@SHOP.example', replyTo: 'help@shop.example' }));
      assert.equal(given.statusCode, 202, given.body);
      const [first, second] = envelopes(t.submission.produced);
      assert.equal(first?.from, '"Shop" <orders@shop.example>');
      assert.equal(first?.replyTo, undefined);
      assert.equal(second?.from, 'news@shop.example');
      assert.equal(second?.replyTo, 'help@shop.example');
      const refused = await send(email({ from: 'ceo@shop.example' }));
      assert.equal(refused.statusCode, 422);
      assert.equal(refused.json().error.code, 'HERALD_SENDER_NOT_REGISTERED');
      await call('PUT', '/v1/email-senders', { clientId: 'shop', senders: [] }, ADMIN_KEY);
      const none = await send(email());
      assert.equal(none.statusCode, 422);
      assert.match(none.json().error.message, /no default e-mail sender/);
      assert.equal(t.submission.produced.length, 2);
    });

    it('refuses replyTo with a line break (header injection) or not one plain address, and on other channels', async () => {
      for (const [replyTo, code] of [
        ['help@shop.example\r\nBcc: victim@evil.example', 'HERALD_CONTROL_CHARACTER'],
        ['help@shop.example\n', 'HERALD_CONTROL_CHARACTER'],
        ['help@shop.example\u2029', 'HERALD_CONTROL_CHARACTER'],
        ['"Help" <help@shop.example>', 'HERALD_INVALID_EMAIL'],
        ['help@shop.example, x@evil.example', 'HERALD_INVALID_EMAIL'],
      ] as const) {
        const refused = await send(email({ replyTo }));
        assert.equal(refused.json().error?.code, code, `${JSON.stringify(replyTo)}: ${refused.body}`);
        assert.match(refused.json().error.message, /replyTo/);
      }
      const sms = await send(smsBody({ replyTo: 'help@shop.example' }));
      assert.equal(sms.statusCode, 400);
      assert.equal(t.submission.produced.length, 0);
    });
  });

  describe('Kakao channels and image hosts', () => {
    it('stores and answers them per client', async () => {
      const channels = [{ name: '@rider', senderIds: { 'sens-alimtalk': '@rider' } }];
      const put = await call('PUT', '/v1/kakao-channels', { clientId: 'rider', channels }, ADMIN_KEY);
      assert.deepEqual(
        put.json().channels.map((c: { name: string; isDefault: boolean }) => [c.name, c.isDefault]),
        [['@rider', true]],
      );
      const own = await call('GET', '/v1/kakao-channels', undefined, OTHER_CLIENT_KEY);
      assert.deepEqual(own.json(), put.json());

      const hosts = await call(
        'PUT',
        '/v1/image-hosts',
        { clientId: 'rider', hosts: ['CDN.example.com'] },
        ADMIN_KEY,
      );
      assert.deepEqual(hosts.json(), { clientId: 'rider', hosts: ['cdn.example.com'] });
      assert.deepEqual(
        (await call('GET', '/v1/image-hosts', undefined, OTHER_CLIENT_KEY)).json(),
        hosts.json(),
      );
      assert.deepEqual((await call('GET', '/v1/image-hosts')).json(), { clientId: 'shop', hosts: [] });
      const bad = await call('PUT', '/v1/image-hosts', { clientId: 'rider', hosts: ['10.0.0.1'] }, ADMIN_KEY);
      assert.equal(bad.statusCode, 400);
    });

    it('describes every route and the from field in the OpenAPI document', async () => {
      const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
      for (const path of ['/v1/sender-numbers', '/v1/kakao-channels', '/v1/image-hosts']) {
        assert.ok(document.paths[path]?.put && document.paths[path]?.get, path);
      }
      assert.ok(JSON.stringify(document.paths['/v1/messages'].post).includes('HERALD_SENDER_NOT_REGISTERED'));
    });
  });
});

describe('sender lookups at submission', () => {
  it('read the registry once per client within the cache time, not once per request', async () => {
    const registry = new SqliteSenderRegistry({ path: ':memory:' });
    await registry.putSenderNumbers('shop', TEST_SENDERS.numbers);
    let reads = 0;
    const counting: SenderRegistry = Object.assign(Object.create(registry), {
      listSenderNumbers: (clientId: string) => {
        reads += 1;
        return registry.listSenderNumbers(clientId);
      },
    });
    const t = await buildTestApp({ senders: counting, senderCache: { ttlMs: 3_600_000 } });
    try {
      for (let i = 0; i < 3; i++) {
        const response = await t.app.inject({
          method: 'POST',
          url: '/v1/messages',
          headers: auth(),
          payload: smsBody(),
        });
        assert.equal(response.statusCode, 202);
      }
      assert.equal(reads, 1);
    } finally {
      await t.app.close();
      await registry.close();
      await t.senders.close();
    }
  });
});
