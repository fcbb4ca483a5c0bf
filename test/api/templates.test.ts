import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import type { TemplateSubmission } from '../../src/ports/vendor.ts';
import type { TestApp } from './test-app.ts';
import { ADMIN_KEY, auth, buildTestApp, OTHER_CLIENT_KEY } from './test-app.ts';

const BODY = '#{name}님, 예약이 확정되었습니다.';

describe('/v1/templates and the AlimTalk send check', () => {
  let t: TestApp;
  const apps: TestApp[] = [];
  beforeEach(async () => {
    t = await buildTestApp();
    apps.push(t);
  });
  after(async () => {
    await Promise.all(apps.map((app) => app.app.close()));
  });

  const call = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: object, key?: string) =>
    t.app.inject({ method, url, headers: auth(key), ...(payload && { payload }) });
  const sendAlimtalk = (code: string, key?: string) =>
    call(
      'POST',
      '/v1/messages',
      {
        channel: 'alimtalk',
        lane: 'realtime',
        template: { code, vars: { name: '김' } },
        recipients: [{ to: '010-1234-5678' }],
      },
      key,
    );

  it("registers a client's template as a draft, versions a change, and keeps it from other clients", async () => {
    const created = await call('PUT', '/v1/templates/BOOKED', { name: '예약 확정', body: BODY });
    assert.equal(created.statusCode, 200);
    assert.deepEqual(
      [created.json().outcome, created.json().template.state, created.json().template.version],
      ['created', 'draft', 1],
    );
    const same = await call('PUT', '/v1/templates/BOOKED', { name: '예약 확정', body: BODY });
    assert.equal(same.json().outcome, 'unchanged');
    const revised = await call('PUT', '/v1/templates/BOOKED', {
      name: '예약 확정',
      body: `${BODY} 감사합니다.`,
    });
    assert.deepEqual([revised.json().outcome, revised.json().template.version], ['revised', 2]);

    const history = await call('GET', '/v1/templates/BOOKED/versions');
    assert.deepEqual(
      history.json().versions.map((v: { version: number }) => v.version),
      [1, 2],
    );
    assert.deepEqual(
      history.json().audit.map((entry: { action: string; detail: string }) => [entry.action, entry.detail]),
      [
        ['registered', 'version 1'],
        ['revised', 'version 2'],
      ],
    );
    const list = await call('GET', '/v1/templates');
    assert.deepEqual(
      list.json().templates.map((template: { code: string }) => template.code),
      ['BOOKED', 'ORDER_SHIPPED'],
    );
    const elsewhere = await call('GET', '/v1/templates/BOOKED', undefined, OTHER_CLIENT_KEY);
    assert.equal(elsewhere.statusCode, 404);
    assert.deepEqual((await call('GET', '/v1/templates', undefined, OTHER_CLIENT_KEY)).json().templates, []);
  });

  it('submits to the vendors where the client has a Kakao channel: requested there', async () => {
    const submitted: TemplateSubmission[] = [];
    t.templateVendors = [
      {
        id: 'nhn-alimtalk',
        templates: { list: async () => [], submit: async (template) => void submitted.push(template) },
      },
      { id: 'sens-alimtalk', templates: { list: async () => [], submit: async () => {} } },
    ];
    t.kakaoChannels.set('shop', [
      { name: '@shop', senderIds: { 'nhn-alimtalk': 'sender-a' }, isDefault: true, registeredAt: 0 },
    ]);
    await call('PUT', '/v1/templates/BOOKED', { body: BODY });
    const response = await call('POST', '/v1/templates/BOOKED/submit', {});
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json().outcomes, [
      { vendorId: 'nhn-alimtalk', outcome: 'requested' },
      { vendorId: 'sens-alimtalk', outcome: 'skipped', reason: 'the client has no Kakao channel there' },
    ]);
    assert.deepEqual(submitted, [
      { code: 'BOOKED', name: 'BOOKED', body: BODY, buttons: [], senderId: 'sender-a' },
    ]);
    assert.equal(response.json().template.state, 'requested');
    assert.equal(response.json().template.vendors['nhn-alimtalk'].state, 'requested');
  });

  it('refuses an AlimTalk send until the template is approved at a routed vendor (422), then accepts it', async () => {
    await call('PUT', '/v1/templates/BOOKED', { body: BODY });
    const draft = await sendAlimtalk('BOOKED');
    assert.equal(draft.statusCode, 422);
    assert.equal(draft.json().error.code, 'HERALD_TEMPLATE_NOT_APPROVED');
    assert.match(draft.json().error.message, /BOOKED is draft/);

    const review = (vendorId: string, state: string) =>
      call('PUT', `/admin/templates/BOOKED/vendors/${vendorId}`, { clientId: 'shop', state }, ADMIN_KEY);
    assert.equal((await review('not-routed', 'approved')).statusCode, 200);
    const elsewhere = await sendAlimtalk('BOOKED');
    assert.equal(elsewhere.statusCode, 422);
    assert.match(elsewhere.json().error.message, /approved only at not-routed/);

    assert.equal((await review('sens-alimtalk', 'approved')).statusCode, 200);
    const accepted = await sendAlimtalk('BOOKED');
    assert.equal(accepted.statusCode, 202, accepted.body);
    const trail = await call('GET', '/admin/templates/BOOKED/versions?clientId=shop', undefined, ADMIN_KEY);
    assert.deepEqual(trail.json().audit.at(-1), {
      vendorId: 'sens-alimtalk',
      at: 2_000,
      action: 'set-by-admin',
      detail: 'approved as BOOKED',
    });
    const missing = await call(
      'GET',
      '/admin/templates/BOOKED/versions?clientId=rider',
      undefined,
      ADMIN_KEY,
    );
    assert.equal(missing.statusCode, 404);
  });

  it("answers HERALD_TEMPLATE_NOT_FOUND for another client's code, never hinting that it exists", async () => {
    const response = await sendAlimtalk('ORDER_SHIPPED', OTHER_CLIENT_KEY);
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().error.code, 'HERALD_TEMPLATE_NOT_FOUND');
    assert.match(response.json().error.message, /ORDER_SHIPPED is not one of your templates/);
  });
});
