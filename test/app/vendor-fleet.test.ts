import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { VendorFactory } from '../../src/app/vendor-factories.ts';
import { startVendorFleet, type VendorFleetOptions } from '../../src/app/vendor-fleet.ts';
import { DEFAULT_REMOTE_CONFIG } from '../../src/config/default-remote-config.ts';
import { loadEnvConfig } from '../../src/config/env-config.ts';
import { VendorSecretError } from '../../src/config/vendor-secrets.ts';
import type { RemoteConfigDocument, VendorSettings } from '../../src/core/domain/remote-config.ts';
import { VENDOR_DEFINITION_KINDS } from '../../src/core/domain/remote-config.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import type { Vendor } from '../../src/ports/vendor.ts';

const dir = mkdtempSync(join(tmpdir(), 'herald-fleet-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const env = loadEnvConfig({
  HERALD_SIMULATORS: 'external',
  HERALD_SIMULATOR_URL: 'http://127.0.0.1:9',
  HERALD_SIMULATOR_CREDENTIALS_DIR: join(dir, 'credentials'),
});

/** The remote config as the fleet follows it: set() is a new version applied. */
function followed(document: RemoteConfigDocument) {
  let current = document;
  const listeners = new Set<() => void>();
  return {
    current: () => current,
    onChange(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next: RemoteConfigDocument) {
      current = next;
      for (const listener of listeners) listener();
    },
  };
}

/** Factories that build recording adapters; a definition whose endpoint says "broken" cannot be built. */
function recordingFactories() {
  const built: { id: string; settings: VendorSettings; closed: boolean }[] = [];
  const factory: VendorFactory = ({ id, channels, settings }) => {
    if ('endpoint' in settings && settings.endpoint?.includes('broken')) {
      throw new VendorSecretError(
        id,
        'file /etc/herald/missing.json (credentials.file) cannot be read (ENOENT)',
      );
    }
    return (): Vendor => {
      const record = { id, settings, closed: false };
      built.push(record);
      return {
        id,
        channels,
        send: async () => ({ vendorMessageId: id }),
        close: async () => {
          record.closed = true;
        },
      };
    };
  };
  const factories = Object.fromEntries(VENDOR_DEFINITION_KINDS.map((kind) => [kind, factory]));
  return { built, factories };
}

const withVendor = (id: string, settings: VendorSettings): RemoteConfigDocument => ({
  ...DEFAULT_REMOTE_CONFIG,
  vendors: { ...DEFAULT_REMOTE_CONFIG.vendors, [id]: settings },
});
const realFcm = (endpoint = 'https://fcm.googleapis.com'): VendorSettings => ({
  kind: 'fcm',
  timeoutMs: 5_000,
  breakerThreshold: 5,
  breakerHalfOpenAfterMs: 10_000,
  endpoint,
  credentials: { file: '/etc/herald/fcm.json' },
});
const tick = () => new Promise((resolve) => setImmediate(resolve));

async function fleetOf(config: ReturnType<typeof followed>, options: Partial<VendorFleetOptions> = {}) {
  return startVendorFleet(env, { config, logger: silentLogger(), ...options });
}

describe('vendor fleet', () => {
  it('builds every definition with the factory of its kind, each lane its own adapters', async () => {
    const config = followed(withVendor('fcm-prod', realFcm()));
    const { built, factories } = recordingFactories();
    const fleet = await fleetOf(config, { factories, lanes: ['realtime', 'batch'] });
    try {
      const ids = Object.keys(config.current().vendors);
      assert.equal(built.length, ids.length * 2);
      assert.notEqual(fleet.forLane('realtime').get('fcm'), fleet.forLane('batch').get('fcm'));
      assert.equal(fleet.kinds['fcm-prod'], 'real');
      assert.equal(fleet.kinds.fcm, 'external-simulator');
      assert.equal(fleet.kinds['nhn-sms'], 'external-simulator');
    } finally {
      await fleet.close();
    }
    assert.ok(built.every((record) => record.closed));
  });

  it('rebuilds a vendor whose definition changed, adds new ones, retires removed ones', async () => {
    const config = followed(withVendor('fcm-prod', realFcm()));
    const { built, factories } = recordingFactories();
    const fleet = await fleetOf(config, { factories, lanes: ['realtime'] });
    try {
      const lane = fleet.forLane('realtime');
      const before = lane.get('fcm-prod');
      const { 'solapi-vms': _, ...vendors } = config.current().vendors;
      config.set({
        ...config.current(),
        vendors: {
          ...vendors,
          'fcm-prod': { ...realFcm(), timeoutMs: 9_000 },
          'sim-email': { ...vendors['sim-email']! },
        },
      });
      assert.equal(lane.get('fcm-prod'), before, 'a time limit is read per call: no rebuild');
      assert.equal(lane.get('solapi-vms'), undefined, 'a vendor no longer defined is retired');
      config.set(withVendor('fcm-prod', realFcm('https://fcm.example.com')));
      const after = lane.get('fcm-prod');
      assert.notEqual(after, before);
      await tick();
      const fcmProd = built.filter((record) => record.id === 'fcm-prod');
      assert.deepEqual(
        fcmProd.map((record) => [(record.settings as { endpoint: string }).endpoint, record.closed]),
        [
          ['https://fcm.googleapis.com', true],
          ['https://fcm.example.com', false],
        ],
      );
      assert.equal(lane.get('solapi-vms')?.id, 'solapi-vms', 'solapi-vms is back in the last version');
      config.set({ ...DEFAULT_REMOTE_CONFIG });
      await tick();
      assert.equal(lane.get('fcm-prod'), undefined);
      assert.ok(built.filter((record) => record.id === 'fcm-prod').every((record) => record.closed));
    } finally {
      await fleet.close();
    }
  });

  it('fails the start on a vendor it cannot build, naming every such vendor', async () => {
    const document = withVendor('fcm-prod', realFcm('https://broken.example.com'));
    const config = followed({
      ...document,
      vendors: { ...document.vendors, 'fcm-two': realFcm('https://broken.example.org') },
    });
    await assert.rejects(
      fleetOf(config, { ...recordingFactories(), lanes: ['batch'] }),
      /vendors cannot be built: vendor fcm-prod: file .*; vendor fcm-two: file /,
    );
  });

  it('keeps the adapters of a vendor whose new definition cannot be built, and says so', async () => {
    const config = followed(withVendor('fcm-prod', realFcm()));
    const { factories } = recordingFactories();
    const fleet = await fleetOf(config, { factories, lanes: ['ad'] });
    try {
      const before = fleet.forLane('ad').get('fcm-prod');
      config.set(withVendor('fcm-prod', realFcm('https://broken.example.com')));
      assert.equal(fleet.forLane('ad').get('fcm-prod'), before);
      assert.match(fleet.unbuilt['fcm-prod'] ?? '', /^vendor fcm-prod: file \/etc\/herald\/missing\.json/);
      config.set(withVendor('fcm-prod', realFcm('https://fcm.example.com')));
      assert.notEqual(fleet.forLane('ad').get('fcm-prod'), before);
      assert.deepEqual(fleet.unbuilt, {});
    } finally {
      await fleet.close();
    }
  });

  it('builds the default config with the shipped factories: push vendors know their provider', async () => {
    const fleet = await fleetOf(followed(DEFAULT_REMOTE_CONFIG), { lanes: ['realtime'] });
    try {
      const lane = fleet.forLane('realtime');
      assert.deepEqual(
        ['fcm', 'fcm-b', 'apns', 'apns-b', 'nhn-sms'].map((id) => lane.get(id)?.pushProvider),
        ['fcm', 'fcm', 'apns', 'apns', undefined],
      );
      assert.deepEqual(new Set(Object.values(fleet.kinds)), new Set(['external-simulator']));
    } finally {
      await fleet.close();
    }
  });
});
