import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkHealth } from '../../src/app/health.ts';
import type { Stores } from '../../src/app/stores.ts';

/** Stores that answer `healthy()` as told; nothing else of them is used by the check. */
function stores(scheduleHealthy: boolean): Stores {
  const answering = { healthy: async () => true };
  return {
    transport: answering,
    history: answering,
    config: answering,
    schedule: { healthy: async () => scheduleHealthy },
  } as unknown as Stores;
}

describe('checkHealth and the schedule store', () => {
  it('a process running retry workers is not ready while its schedule store is down', async () => {
    const report = await checkHealth({ stores: stores(false), lanes: [], schedule: true, stopping: false });
    assert.equal(report.ready, false);
    assert.deepEqual(report.components.schedule, { ok: false, detail: 'not answering' });
  });

  it('a process without retry workers does not look at it', async () => {
    const report = await checkHealth({ stores: stores(false), lanes: [], stopping: false });
    assert.equal(report.ready, true);
    assert.equal(report.components.schedule, undefined);
  });
});
