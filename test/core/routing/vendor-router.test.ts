import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_REMOTE_CONFIG } from '../../../src/config/default-remote-config.ts';
import type { Channel } from '../../../src/core/domain/channel.ts';
import { HeraldError } from '../../../src/core/domain/errors.ts';
import type { PushProvider } from '../../../src/core/domain/push-provider.ts';
import type { RemoteConfigDocument } from '../../../src/core/domain/remote-config.ts';
import { VendorRouter } from '../../../src/core/routing/vendor-router.ts';
import { stickyWeightedPick, weightedPick } from '../../../src/core/routing/weighted-pick.ts';
import type { Vendor } from '../../../src/ports/vendor.ts';

function vendor(id: string, channels: Channel[] = ['sms'], pushProvider?: PushProvider): Vendor {
  return {
    id,
    channels,
    ...(pushProvider ? { pushProvider } : {}),
    send: async () => ({ vendorMessageId: id }),
    close: async () => {},
  };
}

function seeded(seed = 42): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

function withSms(
  routes: { vendor: string; weight: number }[],
  base = DEFAULT_REMOTE_CONFIG,
): RemoteConfigDocument {
  return { ...base, routing: { ...base.routing, sms: routes } };
}

const vendorFault = () =>
  new HeraldError('HERALD_VENDOR_UNAVAILABLE', 'down', { retryable: true, vendorFault: true });

describe('weightedPick', () => {
  it('picks in proportion to weight and never picks weight 0', () => {
    const counts = new Map<string, number>();
    const random = seeded();
    const items = [
      { id: 'a', weight: 50 },
      { id: 'b', weight: 30 },
      { id: 'c', weight: 20 },
      { id: 'off', weight: 0 },
    ];
    for (let i = 0; i < 20_000; i++) {
      const id = weightedPick(items, random)!.id;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    assert.equal(counts.get('off'), undefined);
    assert.ok(Math.abs(counts.get('a')! / 20_000 - 0.5) < 0.02);
    assert.ok(Math.abs(counts.get('c')! / 20_000 - 0.2) < 0.02);
  });

  it('returns undefined when every weight is 0', () => {
    assert.equal(weightedPick([{ weight: 0 }]), undefined);
  });
});

describe('VendorRouter', () => {
  const vendors = [vendor('nhn-sms'), vendor('sens-sms'), vendor('solapi-sms')];

  it('applies a kill switch from the live config without being rebuilt', () => {
    let config = DEFAULT_REMOTE_CONFIG;
    const router = new VendorRouter({ vendors, config: () => config, random: seeded() });
    config = withSms([
      { vendor: 'nhn-sms', weight: 0 },
      { vendor: 'sens-sms', weight: 1 },
      { vendor: 'solapi-sms', weight: 0 },
    ]);
    for (let i = 0; i < 100; i++) assert.equal(router.pick('sms')?.vendor.id, 'sens-sms');
  });

  it('avoids vendors that failed the message while others remain', () => {
    const router = new VendorRouter({ vendors, config: () => DEFAULT_REMOTE_CONFIG, random: seeded() });
    for (let i = 0; i < 100; i++) {
      assert.notEqual(router.pick('sms', { avoid: ['nhn-sms', 'sens-sms'] })?.vendor.id, 'nhn-sms');
    }
    const config = withSms([{ vendor: 'nhn-sms', weight: 1 }]);
    const single = new VendorRouter({ vendors, config: () => config });
    assert.equal(single.pick('sms', { avoid: ['nhn-sms'] })?.vendor.id, 'nhn-sms');
  });

  it('moves traffic away from a vendor whose circuit opened, and back after half-open', async () => {
    let now = 1_000_000;
    const vendorSettings = { timeoutMs: 100, breakerThreshold: 3, breakerHalfOpenAfterMs: 5_000 };
    const config: RemoteConfigDocument = {
      ...withSms([
        { vendor: 'nhn-sms', weight: 99 },
        { vendor: 'sens-sms', weight: 1 },
      ]),
      vendors: { 'nhn-sms': vendorSettings, 'sens-sms': vendorSettings },
    };
    const router = new VendorRouter({ vendors, config: () => config, now: () => now, random: () => 0 });
    const a = router.pick('sms')!;
    assert.equal(a.vendor.id, 'nhn-sms');
    for (let i = 0; i < 3; i++)
      await assert.rejects(
        a.policy.execute(() => Promise.reject(vendorFault()), {
          timeoutMs: 100,
          signal: new AbortController().signal,
        }),
      );
    assert.equal(router.breakerStates()['nhn-sms'], 'open');
    for (let i = 0; i < 50; i++) assert.equal(router.pick('sms')?.vendor.id, 'sens-sms');
    now += 5_001;
    assert.equal(router.pick('sms')?.vendor.id, 'nhn-sms');
  });

  it('does not count a rejected recipient against the vendor', async () => {
    const config: RemoteConfigDocument = {
      ...DEFAULT_REMOTE_CONFIG,
      vendors: {
        ...DEFAULT_REMOTE_CONFIG.vendors,
        'nhn-sms': { timeoutMs: 100, breakerThreshold: 1, breakerHalfOpenAfterMs: 5_000 },
      },
    };
    const router = new VendorRouter({ vendors, config: () => config, random: () => 0 });
    const route = router.pick('sms')!;
    const rejected = new HeraldError('HERALD_RECIPIENT_INVALID', 'no such number');
    await assert.rejects(
      route.policy.execute(() => Promise.reject(rejected), {
        timeoutMs: 100,
        signal: new AbortController().signal,
      }),
    );
    assert.equal(router.breakerStates()['nhn-sms'], 'closed');
  });

  it('keeps to the eligible vendors, and to those an MMS fits, finding nothing rather than stray', () => {
    const strict: Vendor = { ...vendor('strict', ['sms']), mmsLimits: { maxImages: 1, maxImageBytes: 100 } };
    const config = withSms([
      { vendor: 'nhn-sms', weight: 1 },
      { vendor: 'sens-sms', weight: 1 },
      { vendor: 'strict', weight: 98 },
    ]);
    const router = new VendorRouter({
      vendors: [...vendors, strict],
      config: () => config,
      random: seeded(),
    });
    for (let i = 0; i < 50; i++) {
      assert.equal(router.pick('sms', { only: ['sens-sms'] })?.vendor.id, 'sens-sms');
      assert.notEqual(router.pick('sms', { fits: (v) => v.mmsLimits === undefined })?.vendor.id, 'strict');
    }
    assert.equal(router.pick('sms', { only: [] }), undefined);
    assert.equal(router.pick('sms', { only: ['strict'], fits: () => false }), undefined);
  });

  it('finds nothing when no vendor serves the channel', () => {
    const router = new VendorRouter({ vendors, config: () => DEFAULT_REMOTE_CONFIG });
    assert.equal(router.pick('push'), undefined);
  });
});

describe('VendorRouter (push)', () => {
  const pushVendors = [
    vendor('fcm-a', ['push'], 'fcm'),
    vendor('fcm-b', ['push'], 'fcm'),
    vendor('apns-a', ['push'], 'apns'),
    vendor('apns-b', ['push'], 'apns'),
    vendor('undeclared', ['push']),
  ];
  const settings = { timeoutMs: 100, breakerThreshold: 1, breakerHalfOpenAfterMs: 60_000 };
  const withPush = (weights: Record<string, number>): RemoteConfigDocument => ({
    ...DEFAULT_REMOTE_CONFIG,
    routing: {
      ...DEFAULT_REMOTE_CONFIG.routing,
      push: Object.entries(weights).map(([id, weight]) => ({ vendor: id, weight })),
    },
    vendors: Object.fromEntries(pushVendors.map((v) => [v.id, settings])),
  });
  const keys = Array.from({ length: 500 }, (_, i) => `key-${i}`);

  it("sends a token only to its provider's vendors, whatever the weights", () => {
    const config = withPush({ 'fcm-a': 1_000, 'fcm-b': 1_000, 'apns-a': 1, 'apns-b': 1, undeclared: 1_000 });
    const router = new VendorRouter({ vendors: pushVendors, config: () => config, random: seeded() });
    for (const stickyKey of keys) {
      assert.match(router.pick('push', { pushProvider: 'apns', stickyKey })!.vendor.id, /^apns-/);
      assert.match(router.pick('push', { pushProvider: 'fcm', stickyKey })!.vendor.id, /^fcm-/);
    }
    const picked = new Set(
      keys.map((stickyKey) => router.pick('push', { pushProvider: 'apns', stickyKey })!.vendor.id),
    );
    assert.deepEqual([...picked].sort(), ['apns-a', 'apns-b'], 'weights still spread among one provider');
  });

  it('fails over among the same provider only, and finds nothing rather than cross over', async () => {
    const config = withPush({ 'fcm-a': 1, 'apns-a': 1, 'apns-b': 1 });
    const router = new VendorRouter({ vendors: pushVendors, config: () => config, random: seeded() });
    assert.equal(router.pick('push', { pushProvider: 'apns', avoid: ['apns-a'] })?.vendor.id, 'apns-b');
    for (const id of ['apns-a', 'apns-b']) {
      const route = router.pick('push', {
        pushProvider: 'apns',
        avoid: id === 'apns-a' ? ['apns-b'] : ['apns-a'],
      })!;
      assert.equal(route.vendor.id, id);
      await assert.rejects(
        route.policy.execute(() => Promise.reject(vendorFault()), {
          timeoutMs: 100,
          signal: new AbortController().signal,
        }),
      );
    }
    assert.equal(router.pick('push', { pushProvider: 'apns' }), undefined, 'both APNs circuits are open');
    assert.equal(router.pick('push', { pushProvider: 'fcm' })?.vendor.id, 'fcm-a');
  });

  it('never picks a push vendor for a message without a provider, nor one that declares none', () => {
    const config = withPush({ undeclared: 1 });
    const router = new VendorRouter({ vendors: pushVendors, config: () => config });
    assert.equal(router.pick('push', {}), undefined);
    assert.equal(router.pick('push', { pushProvider: 'fcm' }), undefined);
  });
});

describe('stickyWeightedPick', () => {
  const routes = [
    { vendor: 'a', weight: 50 },
    { vendor: 'b', weight: 30 },
    { vendor: 'c', weight: 20 },
  ];

  it('always picks the same vendor for the same key', () => {
    for (let i = 0; i < 100; i++) {
      const key = `key-${i}`;
      assert.equal(
        stickyWeightedPick(routes, key)?.vendor,
        stickyWeightedPick([...routes].reverse(), key)?.vendor,
      );
    }
  });

  it('spreads keys in proportion to weight, and never to weight 0', () => {
    const counts: Record<string, number> = {};
    const withOff = [...routes, { vendor: 'off', weight: 0 }];
    for (let i = 0; i < 20_000; i++) {
      const vendor = stickyWeightedPick(withOff, `k${i}`)!.vendor;
      counts[vendor] = (counts[vendor] ?? 0) + 1;
    }
    assert.equal(counts.off, undefined);
    assert.ok(Math.abs(counts.a! / 20_000 - 0.5) < 0.02, JSON.stringify(counts));
    assert.ok(Math.abs(counts.c! / 20_000 - 0.2) < 0.02, JSON.stringify(counts));
  });

  it('moves only the keys of a vendor that is switched off', () => {
    const without = routes.filter((r) => r.vendor !== 'c');
    for (let i = 0; i < 1_000; i++) {
      const before = stickyWeightedPick(routes, `k${i}`)!.vendor;
      if (before !== 'c') assert.equal(stickyWeightedPick(without, `k${i}`)!.vendor, before);
    }
  });
});
