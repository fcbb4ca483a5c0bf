import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { smtpMailOf } from '../../../src/vendors/smtp/smtp-mail.ts';
import { emailMessage, headerLine, useSmtpRelay } from './smtp-test-kit.ts';

const URL_OF_AD = 'https://herald.example.com/v1/unsubscribe/AQID.c2lnbmF0dXJl';

/**
 * An ad e-mail's one-click unsubscribe (RFC 8058) on the wire: `List-Unsubscribe: <url>` and
 * `List-Unsubscribe-Post: List-Unsubscribe=One-Click`, read back from the relay; none on other mail;
 * and a link with CR/LF or a second URL in it is refused before anything is sent.
 */
describe('smtp adapter: List-Unsubscribe on ad e-mail', () => {
  const relay = useSmtpRelay();

  const sendAndRead = async (message: ReturnType<typeof emailMessage>) => {
    await relay.vendor.send(message, AbortSignal.timeout(10_000));
    const mail = relay.received.find((r) => r.messageId === message.messageId);
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
