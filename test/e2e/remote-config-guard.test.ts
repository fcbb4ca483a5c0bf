import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_REMOTE_CONFIG } from '../../src/config/default-remote-config.ts';
import type { RemoteConfigDocument } from '../../src/core/domain/remote-config.ts';
import { startTestHerald, type TestHerald, waitFor } from '../support/herald-harness.ts';

/**
 * The load side of the remote config guard, as deployed: a version that reaches the store without
 * the PUT's check (by hand, or from an older herald) is refused by every process, which keeps the
 * last good version and counts the refusal; the lanes are never told of it.
 */
describe('remote config guard (embedded default)', () => {
  let h: TestHerald;
  before(async () => {
    h = await startTestHerald();
  });
  after(() => h.stop());

  const withSmsRoutedTo = (vendor: string, timeoutMs = 5_000): RemoteConfigDocument => ({
    ...DEFAULT_REMOTE_CONFIG,
    routing: { ...DEFAULT_REMOTE_CONFIG.routing, sms: [{ vendor, weight: 1 }] },
    vendors: {
      ...DEFAULT_REMOTE_CONFIG.vendors,
      [vendor]: { ...DEFAULT_REMOTE_CONFIG.vendors[vendor]!, timeoutMs },
    },
  });

  it('refuses the PUT of a document that would break sending, and stores nothing', async () => {
    const before = h.herald.config.version;
    const response = await h.call('PUT', '/admin/config', withSmsRoutedTo('fcm', 3e9));
    assert.equal(response.status, 400);
    assert.equal(response.body.error.code, 'HERALD_INVALID_CONFIG');
    assert.match(response.body.error.message, /3 problem\(s\)/);
    assert.match(response.body.error.message, /timeoutMs must be <= 60000/);
    assert.match(response.body.error.message, /vendor "fcm" does not serve sms/);
    assert.equal((await h.herald.stores.config.getRemoteConfig())?.version, before);
  });

  it('keeps the last good version when the store hands it an invalid one', async () => {
    const applied: number[] = [];
    h.herald.config.onChange((config) => applied.push(config.version));
    const store = h.herald.stores.config;
    const bad = await store.putRemoteConfig(withSmsRoutedTo('sim-email'));
    const good = await store.putRemoteConfig(withSmsRoutedTo('sens-sms'));
    await waitFor(async () => h.herald.config.version === good.version, 10_000, 'the valid version applied');
    assert.deepEqual(applied, [good.version], `version ${bad.version} never reached the lanes`);
    assert.deepEqual(h.herald.config.current().routing.sms, [{ vendor: 'sens-sms', weight: 1 }]);
    assert.equal(await h.herald.metrics.count(h.herald.metrics.remoteConfigRefused), 1);
  });
});
