import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type FleetDeployment, VENDOR_FACTORIES } from '../../../src/app/vendor-factories.ts';
import { VendorSecretError } from '../../../src/config/vendor-secrets.ts';
import type { TextVendorSettings } from '../../../src/core/domain/remote-config.ts';
import { NHN_VENDOR_ID, nhnAccount, startNhnSimulator, textMessage } from './nhn-sms-test-kit.ts';

const POLICY = { timeoutMs: 5_000, breakerThreshold: 5, breakerHalfOpenAfterMs: 10_000 };

function deployment(
  simulatorUrl: string | undefined,
  env: Record<string, string> = {},
  account = nhnAccount(),
): FleetDeployment {
  return {
    simulatorUrl,
    simulatorCredentials: {
      dir: '/nonexistent',
      text: { [NHN_VENDOR_ID]: { ...account, file: '/nonexistent/nhn-sms.json' } },
      fcm: {},
      apns: {},
    },
    secrets: { readFile: () => assert.fail('no file is read'), env },
  };
}

describe('nhn-sms vendor factory', () => {
  const factory = VENDOR_FACTORIES['nhn-sms'];

  it('is registered for the nhn-sms kind', () => assert.equal(typeof factory, 'function'));

  it("builds an adapter that sends through the simulator with the simulator's generated account", async () => {
    const generated = nhnAccount();
    const trusted = await startNhnSimulator(generated);
    const settings: TextVendorSettings = { kind: 'nhn-sms', endpoint: 'simulator', ...POLICY };
    const vendor = factory!(
      { id: NHN_VENDOR_ID, settings, channels: ['sms', 'lms', 'mms'] },
      deployment(trusted.url, {}, generated),
    )();
    try {
      assert.deepEqual(vendor.channels, ['sms', 'lms', 'mms']);
      const message = textMessage();
      await vendor.send(message, AbortSignal.timeout(10_000));
      assert.equal(trusted.countFor(NHN_VENDOR_ID, message.messageId), 1);
    } finally {
      await vendor.close();
      await trusted.close();
    }
  });

  it("loads a real endpoint's secret key from its reference, and names what is missing", async () => {
    const settings: TextVendorSettings = {
      kind: 'nhn-sms',
      endpoint: 'https://api-sms.cloud.toast.com',
      accountId: 'AbCdEf0123456789',
      credentials: { env: 'NHN_SMS_SECRET' },
      ...POLICY,
    };
    const definition = { id: NHN_VENDOR_ID, settings, channels: ['sms' as const] };
    const vendor = factory!(definition, deployment(undefined, { NHN_SMS_SECRET: 'secret12' }))();
    await vendor.close();
    assert.throws(() => factory!(definition, deployment(undefined)), VendorSecretError);
  });
});
