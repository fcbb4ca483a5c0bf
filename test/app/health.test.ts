import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
