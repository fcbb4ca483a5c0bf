import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SqliteTemplateStore } from '../../../src/adapters/sqlite/sqlite-template-store.ts';
import { reviseTemplate } from '../../../src/core/templates/alimtalk-template.ts';
import { describeTemplateStoreContract } from '../../contracts/template-store.contract.ts';
import { tempDirectory } from './temp-directory.ts';

describeTemplateStoreContract('sqlite', async () => {
  const store = new SqliteTemplateStore({ path: ':memory:' });
  return { store, cleanup: () => store.close() };
});

describe('sqlite template store (adapter only)', () => {
  it('keeps templates across a reopen of the file', async () => {
    const dir = tempDirectory();
    try {
      const path = dir.file('templates.db');
      const first = new SqliteTemplateStore({ path });
      const template = reviseTemplate(
        undefined,
        { clientId: 'shop', code: 'T1' },
        { name: 'T', body: 'hi', buttons: [] },
        1,
      )!;
      assert.equal(await first.save(template, 0), true);
      await first.close();
      const reopened = new SqliteTemplateStore({ path });
      try {
        assert.deepEqual(await reopened.get('shop', 'T1'), template);
      } finally {
        await reopened.close();
      }
    } finally {
      dir.remove();
    }
  });
});
