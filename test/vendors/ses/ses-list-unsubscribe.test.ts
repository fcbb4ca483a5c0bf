import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HeraldError } from '../../../src/core/domain/errors.ts';
import { sesRequestOf } from '../../../src/vendors/ses/ses-request.ts';
import { emailMessage, sesKey, sesVendorAt, startSesSimulator } from './ses-test-kit.ts';

const DEFAULTS = { from: 'herald <no-reply@herald.test>' };
const URL = 'https://herald.test/v1/unsubscribe/abc_DEF-123';

/** An ad e-mail's opt-out headers on the SES route, as on the SMTP one (RFC 8058). */
describe('ses: List-Unsubscribe on ad e-mail', () => {
  it('adds List-Unsubscribe and the one-click List-Unsubscribe-Post to an ad, and nothing to other mail', () => {
    const ad = sesRequestOf({ ...emailMessage(), unsubscribeUrl: URL }, DEFAULTS);
    assert.deepEqual(ad.Content?.Simple?.Headers, [
      { Name: 'List-Unsubscribe', Value: `<${URL}>` },
      { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
    ]);
    assert.equal(sesRequestOf(emailMessage(), DEFAULTS).Content?.Simple?.Headers, undefined);
  });

  it('refuses a link that is not one plain URL, so nothing rides into a header', () => {
    for (const url of [`${URL}\r\nBcc: x@y.test`, `${URL}>, <https://evil.test`, 'javascript:alert(1)']) {
      assert.throws(
        () => sesRequestOf({ ...emailMessage(), unsubscribeUrl: url }, DEFAULTS),
        (error: HeraldError) => error.vendorCode === 'UNSUBSCRIBE_URL',
      );
    }
  });

  it('is taken by the simulated SES, which checks the headers as SES does', async () => {
    const key = sesKey();
    const sim = await startSesSimulator(key);
    const vendor = sesVendorAt(sim, key);
    try {
      const message = { ...emailMessage(), unsubscribeUrl: URL };
      await vendor.send(message, AbortSignal.timeout(10_000));
      assert.equal(sim.countFor('ses', message.messageId), 1);
    } finally {
      await vendor.close();
      await sim.close();
    }
  });
});
