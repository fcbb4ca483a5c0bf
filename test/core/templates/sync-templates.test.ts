import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SqliteTemplateStore } from '../../../src/adapters/sqlite/sqlite-template-store.ts';
import { reviseTemplate, withVendorStatus } from '../../../src/core/templates/alimtalk-template.ts';
import { submitTemplate } from '../../../src/core/templates/submit-template.ts';
import { syncTemplates } from '../../../src/core/templates/sync-templates.ts';
import type { TemplateVendor } from '../../../src/core/templates/template-vendors.ts';
import { updateTemplate } from '../../../src/core/templates/update-template.ts';
import type { TemplateSubmission, VendorTemplate } from '../../../src/ports/vendor.ts';

const BODY = '#{name}님, 주문하신 상품이 발송되었습니다.';

/** A vendor's template API as an object literal: a list per sender id, submissions recorded. */
function fakeVendor(id: string) {
  const lists = new Map<string, VendorTemplate[]>();
  const submitted: TemplateSubmission[] = [];
  const vendor: TemplateVendor = {
    id,
    templates: {
      async list(senderId) {
        return lists.get(senderId) ?? [];
      },
      async submit(template) {
        submitted.push(template);
        const list = lists.get(template.senderId) ?? [];
        lists.set(template.senderId, [...list, { ...template, state: 'requested' }]);
      },
    },
  };
  return { vendor, lists, submitted };
}

async function setUp() {
  const store = new SqliteTemplateStore({ path: ':memory:' });
  const nhn = fakeVendor('nhn-alimtalk');
  const sens = fakeVendor('sens-alimtalk');
  let now = 1_000;
  const deps = {
    store,
    vendors: () => [nhn.vendor, sens.vendor],
    channels: {
      async listKakaoChannels(clientId: string) {
        return clientId === 'shop'
          ? [
              {
                name: '@shop',
                senderIds: { 'nhn-alimtalk': 'key-1', 'sens-alimtalk': '@shop' },
                isDefault: true,
                registeredAt: 0,
              },
            ]
          : [];
      },
    },
    now: () => now,
  };
  await updateTemplate(store, 'shop', 'ORDER', (current) =>
    reviseTemplate(
      current,
      { clientId: 'shop', code: 'ORDER' },
      { name: '발송 안내', body: BODY, buttons: [] },
      now,
    ),
  );
  return { store, nhn, sens, deps, tick: () => (now += 1_000) };
}

describe('template submission', () => {
  it('submits to every vendor where the client has a channel and records each as requested', async () => {
    const { store, nhn, sens, deps } = await setUp();
    const { template, outcomes } = await submitTemplate(deps, 'shop', 'ORDER');
    assert.deepEqual(
      outcomes.map((o) => [o.vendorId, o.outcome]),
      [
        ['nhn-alimtalk', 'requested'],
        ['sens-alimtalk', 'requested'],
      ],
    );
    assert.deepEqual(nhn.submitted, [
      { code: 'ORDER', name: '발송 안내', body: BODY, buttons: [], senderId: 'key-1' },
    ]);
    assert.equal(sens.submitted[0]?.senderId, '@shop');
    assert.equal(template.state, 'requested');
    assert.deepEqual(
      (await store.listAudit('shop', 'ORDER')).map((entry) => [entry.vendorId, entry.action]),
      [
        ['nhn-alimtalk', 'submitted'],
        ['sens-alimtalk', 'submitted'],
      ],
    );
  });

  it("records the review the vendor's list shows right after, under the vendor's own code", async () => {
    const { store, deps } = await setUp();
    const lists = new Map<string, VendorTemplate[]>();
    const instant: TemplateVendor = {
      id: 'solapi-alimtalk',
      templates: {
        list: async (senderId) => lists.get(senderId) ?? [],
        // SOLAPI names the template itself; a simulator without review approves it at once.
        submit: async (template) => {
          lists.set(template.senderId, [{ ...template, code: 'KA01TP123', state: 'approved' }]);
        },
      },
    };
    const channels = {
      async listKakaoChannels() {
        return [
          { name: '@shop', senderIds: { 'solapi-alimtalk': 'KA01PF' }, isDefault: true, registeredAt: 0 },
        ];
      },
    };
    const { template } = await submitTemplate(
      { ...deps, channels, vendors: () => [instant] },
      'shop',
      'ORDER',
    );
    assert.equal(template.state, 'approved');
    assert.equal(template.vendors['solapi-alimtalk']?.code, 'KA01TP123');
    const [audit] = await store.listAudit('shop', 'ORDER');
    assert.match(audit!.detail ?? '', /lists it approved as KA01TP123/);
  });

  it('records a vendor refusal in the audit trail and leaves that vendor out', async () => {
    const { store, deps, nhn } = await setUp();
    const failing: TemplateVendor = {
      id: 'solapi-alimtalk',
      templates: {
        list: async () => [],
        submit: async () => {
          throw new Error('pfId unknown');
        },
      },
    };
    const channels = {
      async listKakaoChannels() {
        return [
          { name: '@shop', senderIds: { 'solapi-alimtalk': 'KA01PF' }, isDefault: true, registeredAt: 0 },
        ];
      },
    };
    const { outcomes, template } = await submitTemplate(
      { ...deps, channels, vendors: () => [nhn.vendor, failing] },
      'shop',
      'ORDER',
    );
    assert.deepEqual(
      outcomes.map((o) => [o.vendorId, o.outcome]),
      [
        ['nhn-alimtalk', 'skipped'],
        ['solapi-alimtalk', 'failed'],
      ],
    );
    assert.equal(template.state, 'draft');
    const named = await submitTemplate(deps, 'shop', 'ORDER', ['sens-alimtalk', 'nope']);
    assert.deepEqual(
      named.outcomes.map((o) => [o.vendorId, o.outcome]),
      [
        ['sens-alimtalk', 'requested'],
        ['nope', 'skipped'],
      ],
    );
    const audit = (await store.listAudit('shop', 'ORDER')).filter(
      (entry) => entry.vendorId !== 'sens-alimtalk',
    );
    assert.deepEqual(
      audit.map((entry) => entry.action),
      ['submit-failed'],
    );
    assert.match(audit[0]!.detail, /pfId unknown/);
  });
});

describe('herald templates sync', () => {
  it('reports a state changed at one vendor on a dry run, and records it (audited) without one', async () => {
    const { store, nhn, deps, tick } = await setUp();
    await submitTemplate(deps, 'shop', 'ORDER');
    nhn.lists.set('key-1', [
      { code: 'ORDER', name: '발송 안내', body: BODY, buttons: [], state: 'approved' },
    ]);
    tick();
    const progress: [number, number][] = [];
    const dry = await syncTemplates(deps, {
      dryRun: true,
      onProgress: (done, total) => progress.push([done, total]),
    });
    assert.deepEqual(
      dry.differences.map((d) => [d.vendorId, d.kind, d.detail, d.applied]),
      [['nhn-alimtalk', 'state-changed', 'requested -> approved', false]],
    );
    assert.deepEqual(progress, [
      [0, 2],
      [1, 2],
      [2, 2],
    ]);
    assert.equal((await store.get('shop', 'ORDER'))?.state, 'requested');

    const applied = await syncTemplates(deps);
    assert.equal(applied.applied, 1);
    const stored = await store.get('shop', 'ORDER');
    assert.equal(stored?.state, 'approved');
    assert.equal(stored?.vendors['nhn-alimtalk']?.state, 'approved');
    assert.equal(stored?.vendors['sens-alimtalk']?.state, 'requested');
    const audit = await store.listAudit('shop', 'ORDER');
    assert.deepEqual(audit.at(-1), {
      clientId: 'shop',
      code: 'ORDER',
      vendorId: 'nhn-alimtalk',
      at: 2_000,
      action: 'state-changed',
      detail: 'requested -> approved (sync)',
    });
    assert.deepEqual((await syncTemplates(deps)).differences, []);
  });

  it('reports text and buttons that differ and a template missing at a vendor, never applying or deleting', async () => {
    const { store, nhn, sens, deps } = await setUp();
    await updateTemplate(store, 'shop', 'ORDER', (current) =>
      withVendorStatus(current!, 'sens-alimtalk', { code: 'ORDER', state: 'approved', syncedAt: 1 }, 1),
    );
    nhn.lists.set('key-1', [
      {
        code: 'ORDER',
        name: '발송 안내',
        body: `${BODY} 감사합니다.`,
        buttons: [{ type: 'WL', name: '조회', linkMobile: 'https://example.com' }],
        state: 'approved',
      },
    ]);
    const summary = await syncTemplates(deps);
    assert.deepEqual(
      summary.differences.map((d) => [d.vendorId, d.kind, d.applied]),
      [
        ['nhn-alimtalk', 'content-differs', false],
        ['nhn-alimtalk', 'state-changed', false],
        ['sens-alimtalk', 'missing-at-vendor', false],
      ],
    );
    assert.match(summary.differences[0]!.detail, /text and buttons differ/);
    assert.equal(sens.submitted.length, 0);
    const stored = await store.get('shop', 'ORDER');
    assert.equal(stored?.vendors['nhn-alimtalk'], undefined);
    assert.equal(stored?.vendors['sens-alimtalk']?.state, 'approved');
  });

  it('adopts the id a vendor assigned (found by name), limits itself to --vendor, and reports list failures', async () => {
    const { store, nhn, sens, deps } = await setUp();
    sens.lists.set('@shop', [
      {
        code: 'KA01TP123',
        name: '발송 안내',
        body: BODY,
        buttons: [],
        state: 'rejected',
        rejectedReason: '변수 과다',
      },
    ]);
    nhn.vendor.templates.list = async () => {
      throw new Error('NHN answered 500');
    };
    const only = await syncTemplates(deps, { vendorId: 'sens-alimtalk' });
    assert.deepEqual(only.vendors, ['sens-alimtalk']);
    assert.equal(only.applied, 1);
    const stored = await store.get('shop', 'ORDER');
    assert.deepEqual(stored?.vendors['sens-alimtalk'], {
      code: 'KA01TP123',
      state: 'rejected',
      rejectedReason: '변수 과다',
      syncedAt: 1_000,
    });
    assert.equal(stored?.state, 'rejected');
    assert.equal(stored?.rejectedReason, '변수 과다');
    const both = await syncTemplates(deps);
    assert.deepEqual(both.errors, [
      { vendorId: 'nhn-alimtalk', clientId: 'shop', message: 'NHN answered 500' },
    ]);
    await assert.rejects(syncTemplates(deps, { vendorId: 'nope' }), { code: 'HERALD_VALIDATION_FAILED' });
  });
});
