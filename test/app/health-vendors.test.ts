import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkHealth } from '../../src/app/health.ts';
import { DEFAULT_REMOTE_CONFIG } from '../../src/config/default-remote-config.ts';
import { startTestHerald } from '../support/herald-harness.ts';

const answering = { healthy: async () => true };
const stores = { transport: answering, history: answering, config: answering, dedup: answering };

describe('GET /health and vendor definitions', () => {
  it('reports a vendor this process could not build, without making it unready', async () => {
    const report = await checkHealth({
      stores,
      lanes: [],
      retries: [],
      vendors: { fcm: 'in-process-simulator', 'fcm-prod': 'real' },
      unbuiltVendors: {
        'fcm-prod': 'vendor fcm-prod: file /etc/herald/fcm.json (credentials.file) cannot be read (ENOENT)',
      },
      stopping: false,
    });
    assert.equal(report.ready, true);
    assert.deepEqual(report.components['vendor:fcm-prod'], {
      ok: false,
      detail: 'vendor fcm-prod: file /etc/herald/fcm.json (credentials.file) cannot be read (ENOENT)',
    });
    assert.deepEqual(report.vendors, { fcm: 'in-process-simulator', 'fcm-prod': 'real' });
  });

  it('says "real" for a vendor with a real endpoint as soon as a config version defines one', async () => {
    const h = await startTestHerald();
    try {
      const document = structuredClone(DEFAULT_REMOTE_CONFIG) as { vendors: Record<string, unknown> };
      document.vendors['fcm-prod'] = {
        kind: 'fcm',
        timeoutMs: 5_000,
        breakerThreshold: 5,
        breakerHalfOpenAfterMs: 10_000,
        credentials: { env: 'HERALD_TEST_UNSET_FCM_ACCOUNT' },
      };
      const put = await h.call('PUT', '/admin/config', document);
      assert.equal(put.status, 200, JSON.stringify(put.body));
      const deadline = Date.now() + 5_000;
      let health = await h.call('GET', '/health');
      while (health.body.vendors['fcm-prod'] === undefined && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        health = await h.call('GET', '/health');
      }
      assert.equal(health.body.vendors['fcm-prod'], 'real');
      assert.equal(health.body.vendors.fcm, 'in-process-simulator');
      // The variable is not set in this process: the vendor is reported, and the rest sends on.
      assert.match(
        health.body.components['vendor:fcm-prod'].detail,
        /^vendor fcm-prod: environment variable HERALD_TEST_UNSET_FCM_ACCOUNT \(credentials\.env\) is not set/,
      );
    } finally {
      await h.stop();
    }
  });
});
