import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sesRequestOf } from '../../../src/vendors/ses/ses-request.ts';
import { emailMessage, sesKey, sesVendorAt, startSesSimulator } from './ses-test-kit.ts';

const DEFAULTS = { from: 'herald <no-reply@herald.test>' };

/** The client's registered From, its Reply-To and its HTML part on the SES route, as on the SMTP one. */
describe('ses: From, Reply-To and the HTML part', () => {
  it('sends the registered From: a bare address, a quoted ASCII name, a name outside ASCII as an encoded-word', () => {
    const from = (value: string) => sesRequestOf(emailMessage({ from: value }), DEFAULTS).FromEmailAddress;
    assert.equal(from('orders@shop.example'), 'orders@shop.example');
    assert.equal(
      from('"Shop \\"Seoul\\"" <orders@shop.example>'),
      '"Shop \\"Seoul\\"" <orders@shop.example>',
    );
    assert.equal(
      from('"쇼핑" <orders@shop.example>'),
      `=?UTF-8?B?${Buffer.from('쇼핑').toString('base64')}?= <orders@shop.example>`,
    );
    assert.equal(sesRequestOf(emailMessage(), DEFAULTS).FromEmailAddress, DEFAULTS.from);
  });

  it('sends ReplyToAddresses with the one address, and refuses anything else', () => {
    const request = sesRequestOf(emailMessage({ replyTo: 'help@shop.example' }), DEFAULTS);
    assert.deepEqual(request.ReplyToAddresses, ['help@shop.example']);
    assert.equal(sesRequestOf(emailMessage(), DEFAULTS).ReplyToAddresses, undefined);
    for (const replyTo of ['help@shop.example\r\nBcc: x@evil.example', 'a@shop.example, b@evil.example']) {
      assert.throws(() => sesRequestOf(emailMessage({ replyTo }), DEFAULTS), { vendorCode: 'REPLY_TO' });
    }
  });

  it("sends the request's HTML part as Body.Html, the body as Body.Text", () => {
    const html = '<p>Kim &amp; Lee</p>';
    const body = sesRequestOf(emailMessage({ body: 'Kim & Lee', html }), DEFAULTS).Content?.Simple?.Body;
    assert.equal(body?.Html?.Data, html);
    assert.equal(body?.Text?.Data, 'Kim & Lee');
  });

  it('is taken by the simulated SES with all three', async () => {
    const key = sesKey();
    const sim = await startSesSimulator(key);
    const vendor = sesVendorAt(sim, key);
    try {
      const message = emailMessage({
        from: '"쇼핑" <orders@shop.example>',
        replyTo: 'help@shop.example',
        html: '<p>hi</p>',
      });
      await vendor.send(message, AbortSignal.timeout(10_000));
      assert.equal(sim.countFor('ses', message.messageId), 1);
    } finally {
      await vendor.close();
      await sim.close();
    }
  });
});
