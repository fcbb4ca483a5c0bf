import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type FleetDeployment, VENDOR_FACTORIES } from '../../../src/app/vendor-factories.ts';
import { SIMULATOR_ENDPOINT, type TextVendorSettings } from '../../../src/core/domain/remote-config.ts';
import type { SimulatorServer } from '../../../src/simulators/simulator-server.ts';
import { startSimulatorServer } from '../../../src/simulators/simulator-server.ts';
import { ensureTextCredentials, simulatorTextTrust } from '../../../src/simulators/text/text-credentials.ts';
import { alimtalkMessage, registerTemplate, smsMessage } from './solapi-test-kit.ts';

const policy = { timeoutMs: 5_000, breakerThreshold: 5, breakerHalfOpenAfterMs: 10_000 };

describe('SOLAPI vendor factories', () => {
  let dir: string;
  let sim: SimulatorServer;
  let deployment: FleetDeployment;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'herald-solapi-'));
    const text = ensureTextCredentials(dir);
    sim = await startSimulatorServer({
      vendors: { 'solapi-sms': {}, 'solapi-alimtalk': {} },
      textTrust: simulatorTextTrust(text),
    });
    deployment = {
      simulatorUrl: sim.url,
      simulatorCredentials: { dir, text, fcm: {}, apns: {} },
      secrets: { readFile: () => '', env: {} },
    };
  });
  after(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds both adapters with the generated simulator accounts, and they send through it', async () => {
    registerTemplate(sim);
    for (const [id, message] of [
      ['solapi-sms', smsMessage()],
      ['solapi-alimtalk', alimtalkMessage()],
    ] as const) {
      const settings: TextVendorSettings = { kind: id, endpoint: SIMULATOR_ENDPOINT, ...policy };
      const build = VENDOR_FACTORIES[id]!({ id, settings, channels: [message.channel] }, deployment);
      const vendor = build();
      try {
        assert.deepEqual(vendor.channels, [message.channel]);
        await vendor.send(message, AbortSignal.timeout(10_000));
        assert.equal(sim.countFor(id, message.messageId), 1);
      } finally {
        await vendor.close();
      }
    }
  });

  it('loads the API secret a real endpoint names, and refuses one without it', () => {
    const settings: TextVendorSettings = {
      kind: 'solapi-sms',
      endpoint: 'https://api.solapi.com',
      accountId: 'NCSREALKEY000000',
      credentials: { env: 'SOLAPI_SECRET' },
      ...policy,
    };
    const withSecret = { ...deployment, secrets: { readFile: () => '', env: { SOLAPI_SECRET: 'secret' } } };
    const vendor = VENDOR_FACTORIES['solapi-sms']!(
      { id: 'solapi-sms', settings, channels: ['sms'] },
      withSecret,
    )();
    void vendor.close();
    assert.throws(() =>
      VENDOR_FACTORIES['solapi-sms']!(
        { id: 'solapi-sms', settings: { ...settings, credentials: undefined }, channels: ['sms'] },
        deployment,
      ),
    );
  });
});
