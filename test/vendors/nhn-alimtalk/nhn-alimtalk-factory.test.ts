import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VENDOR_FACTORIES } from '../../../src/app/vendor-factories.ts';
import type { TextVendorSettings } from '../../../src/core/domain/remote-config.ts';
import { alimtalkMessage, startNhnSimulator, VENDOR_ID } from './nhn-alimtalk-test-kit.ts';

const POLICY = { timeoutMs: 5_000, breakerThreshold: 5, breakerHalfOpenAfterMs: 30_000 };

describe('nhn-alimtalk factory', () => {
  it("builds an adapter that sends with the simulator's generated account", async () => {
    const { sim, trust, senderKey } = await startNhnSimulator();
    const settings: TextVendorSettings = { ...POLICY, kind: 'nhn-alimtalk', endpoint: 'simulator' };
    const build = VENDOR_FACTORIES['nhn-alimtalk']!(
      { id: VENDOR_ID, settings, channels: ['alimtalk'] },
      {
        simulatorUrl: sim.url,
        simulatorCredentials: { dir: '', fcm: {}, apns: {}, text: { [VENDOR_ID]: { ...trust, file: '' } } },
        secrets: { readFile: () => assert.fail('no secret file at the simulator'), env: {} },
      },
    );
    const vendor = build();
    try {
      const message = alimtalkMessage(senderKey);
      await vendor.send(message, AbortSignal.timeout(10_000));
      assert.equal(sim.countFor(VENDOR_ID, message.messageId), 1);
      assert.deepEqual(vendor.channels, ['alimtalk']);
    } finally {
      await vendor.close();
      await sim.close();
    }
  });

  it('reads the secret key a real endpoint names', () => {
    const settings: TextVendorSettings = {
      ...POLICY,
      kind: 'nhn-alimtalk',
      endpoint: 'https://kakaotalk-bizmessage.api.nhncloudservice.com',
      accountId: 'appkey',
      credentials: { env: 'NHN_ALIMTALK_SECRET' },
    };
    const deployment = { simulatorUrl: undefined, simulatorCredentials: undefined };
    const missing = () =>
      VENDOR_FACTORIES['nhn-alimtalk']!(
        { id: VENDOR_ID, settings, channels: ['alimtalk'] },
        { ...deployment, secrets: { readFile: () => '', env: {} } },
      );
    assert.throws(missing, /NHN_ALIMTALK_SECRET/);
    const build = VENDOR_FACTORIES['nhn-alimtalk']!(
      { id: VENDOR_ID, settings, channels: ['alimtalk'] },
      { ...deployment, secrets: { readFile: () => '', env: { NHN_ALIMTALK_SECRET: 'secret' } } },
    );
    return build().close();
  });
});
