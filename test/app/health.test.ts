import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkHealth } from '../../src/app/health.ts';

import { SIMULATOR_VENDOR_CHANNELS } from '../../src/config/default-remote-config.ts';
import { startTestHerald } from '../support/herald-harness.ts';

const VENDOR_IDS = Object.keys(SIMULATOR_VENDOR_CHANNELS).sort();

async function vendorsOnHealth(env: Record<string, string>): Promise<Record<string, string>> {
  const h = await startTestHerald(env);
  try {
    // Listed whether or not every lane polls yet (200 or 503).
    return (await h.call('GET', '/health')).body.vendors;
  } finally {
    await h.stop();
  }
}

describe('GET /health says which vendors are simulators', () => {
  it('in-process simulators (the embedded default)', async () => {
    const vendors = await vendorsOnHealth({});
    assert.deepEqual(Object.keys(vendors).sort(), VENDOR_IDS);
    assert.ok(Object.values(vendors).every((kind) => kind === 'in-process-simulator'));
  });

  it('a simulator process of its own (HERALD_SIMULATORS=external)', async () => {
    const vendors = await vendorsOnHealth({
      HERALD_SIMULATORS: 'external',
      HERALD_SIMULATOR_URL: 'http://127.0.0.1:9',
    });
    assert.deepEqual(Object.keys(vendors).sort(), VENDOR_IDS);
    assert.ok(Object.values(vendors).every((kind) => kind === 'external-simulator'));
  });

  it('no simulator at all (HERALD_SIMULATORS=off)', async () => {
    assert.deepEqual(await vendorsOnHealth({ HERALD_SIMULATORS: 'off' }), {});
  });
});

/** Stores that answer `healthy()` as told; nothing else of them is used by the check. */
function stores(scheduleHealthy: boolean) {
  const answering = { healthy: async () => true };
  return {
    transport: answering,
    history: answering,
    config: answering,
    dedup: answering,
    schedule: { healthy: async () => scheduleHealthy },
  };
}

/** A retry worker that polls: only the schedule store can make the process unready. */
const POLLING_RETRY = {
  lane: 'ad',
  status: () => ({ name: 'retry:ad', lastPollAt: Date.now(), pending: 0, failure: undefined }),
} as const;

describe('checkHealth and the schedule store', () => {
  it('a process running retry workers is not ready while its schedule store is down', async () => {
    const report = await checkHealth({
      stores: stores(false),
      lanes: [],
      retries: [POLLING_RETRY],
      vendors: {},
      stopping: false,
    });
    assert.equal(report.ready, false);
    assert.deepEqual(report.components.schedule, { ok: false, detail: 'not answering' });
  });

  it('a process without retry workers does not look at it', async () => {
    const report = await checkHealth({
      stores: stores(false),
      lanes: [],
      retries: [],
      vendors: {},
      stopping: false,
    });
    assert.equal(report.ready, true);
    assert.equal(report.components.schedule, undefined);
  });
});

describe('checkHealth and the device registry', () => {
  it('a process with the registry open is not ready while it does not answer', async () => {
    const report = await checkHealth({
      stores: { ...stores(true), devices: { healthy: async () => false } },
      lanes: [],
      retries: [],
      vendors: {},
      stopping: false,
    });
    assert.equal(report.ready, false);
    assert.deepEqual(report.components.devices, { ok: false, detail: 'not answering' });
  });

  it('a process without it (a retry worker alone) does not report it', async () => {
    const report = await checkHealth({
      stores: stores(true),
      lanes: [],
      retries: [],
      vendors: {},
      stopping: false,
    });
    assert.equal(report.components.devices, undefined);
  });
});

describe('checkHealth and the other consumers (checks, receipts, callbacks)', () => {
  const consumer = (
    component: string,
    status: { lastPollAt: number; pending: number; failure?: string },
  ) => ({
    component,
    status: () => ({ name: component, failure: undefined, ...status }),
  });

  it('reports each by name; one with a full window and no recent poll is still ok', async () => {
    const report = await checkHealth({
      stores: stores(true),
      lanes: [],
      retries: [],
      consumers: [
        consumer('checks:batch', { lastPollAt: Date.now() - 600_000, pending: 10_000 }),
        consumer('receipts', { lastPollAt: Date.now(), pending: 3 }),
      ],
      vendors: {},
      stopping: false,
    });
    assert.equal(report.ready, true);
    assert.deepEqual(report.components['checks:batch'], { ok: true, detail: '10000 waiting' });
    assert.deepEqual(report.components.receipts, { ok: true, detail: '3 waiting' });
  });

  it('one that has not polled yet, or whose batch is stuck after a failed handler, makes the process unready', async () => {
    const report = await checkHealth({
      stores: stores(true),
      lanes: [],
      retries: [],
      consumers: [
        consumer('callbacks', { lastPollAt: 0, pending: 0 }),
        consumer('receipts', { lastPollAt: Date.now(), pending: 5, failure: 'handler failed: boom' }),
      ],
      vendors: {},
      stopping: false,
    });
    assert.equal(report.ready, false);
    assert.deepEqual(report.components.callbacks, { ok: false, detail: 'not polling yet' });
    assert.deepEqual(report.components.receipts, { ok: false, detail: 'handler failed: boom' });
  });
});
