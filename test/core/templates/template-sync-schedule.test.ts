import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SqliteTemplateStore } from '../../../src/adapters/sqlite/sqlite-template-store.ts';
import { TemplateSyncSchedule } from '../../../src/core/templates/template-sync-schedule.ts';
import { registerApprovedTemplate } from '../../support/templates.ts';

function recordingLogger() {
  const lines: [string, object][] = [];
  return {
    lines,
    info: (details: object, message: string) => lines.push([message, details]),
    warn: (details: object, message: string) => lines.push([message, details]),
  };
}

describe('TemplateSyncSchedule', () => {
  it('logs what a run compared and applied, and a failed run without throwing', async () => {
    const store = new SqliteTemplateStore({ path: ':memory:' });
    await registerApprovedTemplate(store, { clientId: 'shop', code: 'ORDER', body: 'hi' }, ['nhn-alimtalk']);
    const logger = recordingLogger();
    const channels = {
      listKakaoChannels: async () => [
        { name: '@shop', senderIds: { 'nhn-alimtalk': 'key-1' }, isDefault: true, registeredAt: 0 },
      ],
    };
    const vendors = () => [
      {
        id: 'nhn-alimtalk',
        templates: {
          list: async () => [
            { code: 'ORDER', name: 'ORDER', body: 'hi', buttons: [], state: 'approved' as const },
          ],
          submit: async () => {},
        },
      },
    ];
    const schedule = new TemplateSyncSchedule({ store, channels, vendors, now: () => 5 }, 86_400_000, logger);
    const summary = await schedule.runOnce();
    assert.equal(summary?.compared, 1);
    assert.deepEqual(logger.lines[0], [
      'template sync done',
      { vendors: ['nhn-alimtalk'], compared: 1, differences: 0, applied: 0, errors: 0 },
    ]);

    await store.close();
    assert.equal(await schedule.runOnce(), undefined);
    assert.equal(logger.lines[1]?.[0], 'template sync failed; the next run comes on schedule');
    await schedule.stop();
  });
});
