import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { type FleetDeployment, VENDOR_FACTORIES } from '../../../src/app/vendor-factories.ts';
import { VendorSecretError } from '../../../src/config/vendor-secrets.ts';
import type { SimulatorCredentials } from '../../../src/simulators/push-credentials/push-credentials.ts';
import { ALIMTALK_ACCOUNT, alimtalkMessage, type SensSim, startSensSim } from './sens-test-kit.ts';

const POLICY = { timeoutMs: 5_000, breakerThreshold: 5, breakerHalfOpenAfterMs: 10_000 };
const NO_SECRETS = { readFile: () => assert.fail('no file is read'), env: {} };

describe('SENS vendor factories', () => {
  let sens: SensSim;
  beforeEach(async () => {
    sens = await startSensSim();
  });
  afterEach(() => sens.close());

  it("builds sens-alimtalk at the simulator with the simulator's generated account", async () => {
    const deployment: FleetDeployment = {
      simulatorUrl: sens.sim.url,
      simulatorCredentials: {
        text: {
          'sens-alimtalk': {
            kind: 'sens-alimtalk',
            accountId: ALIMTALK_ACCOUNT.accessKey,
            secret: ALIMTALK_ACCOUNT.secretKey,
            serviceId: ALIMTALK_ACCOUNT.serviceId,
            file: '/dev/null',
          },
        },
      } as unknown as SimulatorCredentials,
      secrets: NO_SECRETS,
    };
    const build = VENDOR_FACTORIES['sens-alimtalk']!(
      {
        id: 'sens-alimtalk',
        channels: ['alimtalk'],
        settings: { kind: 'sens-alimtalk', endpoint: 'simulator', ...POLICY },
      },
      deployment,
    );
    const vendor = build();
    try {
      const message = alimtalkMessage();
      await vendor.send(message, AbortSignal.timeout(10_000));
      assert.equal(sens.sim.countFor('sens-alimtalk', message.messageId), 1);
      assert.equal(typeof vendor.checkDelivery, 'function');
      assert.ok(vendor.templates);
    } finally {
      await vendor.close();
    }
  });

  it('refuses a real SENS endpoint without a service id, naming the vendor', () => {
    const deployment: FleetDeployment = {
      simulatorUrl: undefined,
      simulatorCredentials: undefined,
      secrets: { readFile: NO_SECRETS.readFile, env: { SENS_SECRET: 'secret-key' } },
    };
    const definition = {
      id: 'sens-sms',
      channels: ['sms'] as const,
      settings: {
        kind: 'sens-sms' as const,
        accountId: 'AKIA',
        credentials: { env: 'SENS_SECRET' },
        ...POLICY,
      },
    };
    assert.throws(() => VENDOR_FACTORIES['sens-sms']!(definition, deployment), VendorSecretError);
    const withService = { ...definition, settings: { ...definition.settings, serviceId: 'ncp:sms:kr:1:x' } };
    const vendor = VENDOR_FACTORIES['sens-sms']!(withService, deployment)();
    assert.deepEqual(vendor.channels, ['sms']);
    return vendor.close();
  });
});
