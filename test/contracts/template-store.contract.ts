import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { AlimTalkTemplate } from '../../src/core/templates/alimtalk-template.ts';
import { reviseTemplate, withVendorStatus } from '../../src/core/templates/alimtalk-template.ts';
import { updateTemplate } from '../../src/core/templates/update-template.ts';
import type { TemplateStore } from '../../src/ports/template-store.ts';
import type { ContractFactory } from './contract-helpers.ts';
import { uniqueName } from './contract-helpers.ts';

const CONTENT = {
  name: 'Order shipped',
  body: '#{name}님, 주문하신 상품이 발송되었습니다.',
  buttons: [{ type: 'WL', name: '배송 조회', linkMobile: 'https://example.com/track' }],
  fallbackBody: '#{name}님 상품 발송',
};

/** What the template store keeps for clients' AlimTalk templates, whatever engine holds it. */
export function describeTemplateStoreContract(name: string, makeStore: ContractFactory<TemplateStore>): void {
  describe(`${name} template store contract`, () => {
    let store: TemplateStore;
    let cleanup: () => Promise<void>;
    let clientId: string;

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
      clientId = uniqueName('client');
    });
    afterEach(async () => cleanup());

    const register = (code: string, content = CONTENT, now = 1_000) =>
      updateTemplate(store, clientId, code, (current) =>
        reviseTemplate(current, { clientId, code }, content, now),
      );

    it('stores a new template as version 1, draft, and reads it back by client and code', async () => {
      const { template } = await register('ORDER_1');
      assert.equal(template?.version, 1);
      assert.equal(template?.state, 'draft');
      assert.deepEqual(await store.get(clientId, 'ORDER_1'), template);
      assert.equal(await store.get(uniqueName('other'), 'ORDER_1'), undefined);
      assert.equal(await store.get(clientId, 'MISSING'), undefined);
    });

    it('keeps every version of the content and starts a new one only when the text changes', async () => {
      await register('ORDER_1');
      const same = await register('ORDER_1', CONTENT, 2_000);
      assert.equal(same.changed, false);
      const revised = await register('ORDER_1', { ...CONTENT, body: '#{name}님, 발송되었습니다.' }, 3_000);
      assert.equal(revised.template?.version, 2);
      const versions = await store.versions(clientId, 'ORDER_1');
      assert.deepEqual(
        versions.map((version) => [version.version, version.body]),
        [
          [1, CONTENT.body],
          [2, '#{name}님, 발송되었습니다.'],
        ],
      );
      assert.deepEqual(versions[0]!.buttons, CONTENT.buttons);
    });

    it('refuses a save whose expected revision is stale, and a second creation of one code', async () => {
      const { template } = await register('ORDER_1');
      const first = template!;
      const approved = withVendorStatus(
        first,
        'nhn-alimtalk',
        { code: 'ORDER_1', state: 'approved', syncedAt: 5 },
        5,
      );
      assert.equal(await store.save(approved, first.revision), true);
      const stale: AlimTalkTemplate = { ...first, revision: first.revision + 1, name: 'stale' };
      assert.equal(await store.save(stale, first.revision), false);
      assert.equal(await store.save({ ...first, name: 'again' }, 0), false);
      const read = await store.get(clientId, 'ORDER_1');
      assert.equal(read?.state, 'approved');
      assert.deepEqual(read?.vendors['nhn-alimtalk'], { code: 'ORDER_1', state: 'approved', syncedAt: 5 });
    });

    it("lists one client's templates by code, and every client's without one", async () => {
      await register('B_CODE');
      await register('A_CODE');
      const other = uniqueName('client');
      await updateTemplate(store, other, 'C_CODE', (current) =>
        reviseTemplate(current, { clientId: other, code: 'C_CODE' }, CONTENT, 1),
      );
      assert.deepEqual(
        (await store.list(clientId)).map((template) => template.code),
        ['A_CODE', 'B_CODE'],
      );
      const all = (await store.list()).filter((t) => t.clientId === clientId || t.clientId === other);
      assert.deepEqual(
        all.map((template) => `${template.clientId === other ? 'other' : 'mine'}:${template.code}`).sort(),
        ['mine:A_CODE', 'mine:B_CODE', 'other:C_CODE'],
      );
    });

    it('appends audit entries and reads them back in order, per template', async () => {
      await store.appendAudit([
        { clientId, code: 'ORDER_1', at: 1, action: 'registered', detail: 'version 1' },
        {
          clientId,
          code: 'ORDER_1',
          vendorId: 'sens-alimtalk',
          at: 2,
          action: 'state-changed',
          detail: 'requested -> approved',
        },
        { clientId, code: 'OTHER', at: 3, action: 'registered', detail: 'version 1' },
      ]);
      await store.appendAudit([]);
      assert.deepEqual(await store.listAudit(clientId, 'ORDER_1'), [
        { clientId, code: 'ORDER_1', at: 1, action: 'registered', detail: 'version 1' },
        {
          clientId,
          code: 'ORDER_1',
          vendorId: 'sens-alimtalk',
          at: 2,
          action: 'state-changed',
          detail: 'requested -> approved',
        },
      ]);
    });

    it('answers healthy while open', async () => {
      assert.equal(await store.healthy(), true);
    });
  });
}
