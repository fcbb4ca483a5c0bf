import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Vendor } from '../../../src/ports/vendor.ts';
import type { SimulatorServer } from '../../../src/simulators/simulator-server.ts';
import type { ReceivedMail } from '../../../src/simulators/smtp/smtp-simulator.ts';
import { smtpMailOf } from '../../../src/vendors/smtp/smtp-mail.ts';
import { emailMessage, headerLine, smtpAccount, smtpVendorAt, startSmtpSimulator } from './smtp-test-kit.ts';

const URL_OF_AD = 'https://herald.example.com/v1/unsubscribe/AQID.c2lnbmF0dXJl';

/**
 * An ad e-mail's one-click unsubscribe (RFC 8058) on the wire: `List-Unsubscribe: <url>` and
 * `List-Unsubscribe-Post: List-Unsubscribe=One-Click`, read back from the relay; none on other mail;
 * and a link with CR/LF or a second URL in it is refused before anything is sent.
 */
describe('smtp adapter: List-Unsubscribe on ad e-mail', () => {
  let sim: SimulatorServer;
  let vendor: Vendor;
  const received: ReceivedMail[] = [];
  before(async () => {
    const account = smtpAccount();
    sim = await startSmtpSimulator(account);
    sim.smtp!.onMail((mail) => received.push(mail));
    vendor = smtpVendorAt(sim, account);
  });
  after(async () => {
    await vendor.close();
    await sim.close();
  });

  const sendAndRead = async (message: ReturnType<typeof emailMessage>) => {
    await vendor.send(message, AbortSignal.timeout(10_000));
    const mail = received.find((r) => r.messageId === message.messageId);
    assert.ok(mail, 'the relay received the message');
    return mail;
  };

  it('carries both headers when the message has an unsubscribe link', async () => {
    const mail = await sendAndRead(emailMessage({ lane: 'ad', unsubscribeUrl: URL_OF_AD }));
    assert.equal(headerLine(mail, 'list-unsubscribe'), `List-Unsubscribe: <${URL_OF_AD}>`);
    assert.equal(
      headerLine(mail, 'list-unsubscribe-post'),
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    );
  });

  it('carries neither header on other e-mail', async () => {
    const mail = await sendAndRead(emailMessage());
    assert.equal(headerLine(mail, 'list-unsubscribe'), undefined);
    assert.equal(headerLine(mail, 'list-unsubscribe-post'), undefined);
  });

  for (const bad of [
    `${URL_OF_AD}\r\nBcc: victim@evil.example`,
    `${URL_OF_AD}\nX-Injected: yes`,
    `${URL_OF_AD}>, <mailto:victim@evil.example`,
    'javascript:alert(1)',
  ]) {
    it(`refuses the link ${JSON.stringify(bad)} before sending`, () => {
      assert.throws(
        () =>
          smtpMailOf(emailMessage({ unsubscribeUrl: bad }), { from: 'a@b.example', messageIdDomain: 'x' }),
        {
          name: 'HeraldError',
          code: 'HERALD_INTERNAL',
        },
      );
    });
  }
});
