import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReceivedMail } from '../../../src/simulators/smtp/smtp-simulator.ts';
import { emailMessage, useSmtpRelay } from './smtp-test-kit.ts';

/**
 * No header injection: CR/LF (and other controls, the Unicode line and paragraph separators) in the
 * subject, in a From display name and in the body (where `#{var}` values end up) never start a
 * header of their own; a Reply-To that is not one plain address is refused by the adapter. (The
 * API refuses all of these in header-bound fields before: test/e2e/email-done-when.test.ts.) Each message is read back with mailparser and
 * checked for the headers an attacker would add (Bcc, a second To, X-Injected) and for the
 * recipients the relay was given (the envelope: only the message's own address).
 */
describe('smtp adapter: CR/LF in any field adds no header and no recipient', () => {
  const relay = useSmtpRelay();

  const INJECTIONS = [
    '\r\nBcc: victim@evil.example',
    '\nBcc: victim@evil.example',
    '\rX-Injected: yes',
    '\r\n\r\n<html>body takeover</html>',
    '\r\nTo: second@evil.example\r\nX-Injected: yes',
    '\u2028Bcc: victim@evil.example',
    '\u2029X-Injected: yes',
    '\u0085Bcc: victim@evil.example',
    '\u000bX-Injected: yes',
  ];

  const assertClean = (mail: ReceivedMail, to: string) => {
    const headers = mail.mail.headers;
    assert.equal(headers.has('bcc'), false, 'no Bcc header');
    assert.equal(headers.has('x-injected'), false, 'no X-Injected header');
    const tos = Array.isArray(mail.mail.to) ? mail.mail.to : [mail.mail.to];
    assert.deepEqual(
      tos.flatMap((t) => t?.value.map((v) => v.address) ?? []),
      [to],
    );
    assert.deepEqual(mail.envelope.to, [to], 'the relay was given only the recipient');
  };

  const send = async (overrides: Parameters<typeof emailMessage>[0]) => {
    const message = emailMessage(overrides);
    await relay.vendor.send(message, AbortSignal.timeout(10_000));
    const mail = relay.received.find((r) => r.messageId === message.messageId);
    assert.ok(mail, 'the relay received the message');
    return { message, mail };
  };

  for (const injection of INJECTIONS) {
    const shown = JSON.stringify(injection);
    it(`subject with ${shown}`, async () => {
      const { message, mail } = await send({ subject: `Hello${injection}` });
      assertClean(mail, message.to);
      assert.ok(mail.mail.subject?.startsWith('Hello'));
    });

    it(`From display name with ${shown}`, async () => {
      const { message, mail } = await send({ from: `"Shop${injection}" <orders@shop.example>` });
      assertClean(mail, message.to);
      assert.equal(mail.mail.from?.value.length, 1);
      assert.equal(mail.mail.from?.value[0]?.address, 'orders@shop.example');
      assert.equal(mail.envelope.from, 'orders@shop.example');
    });

    it(`body (a var's value) with ${shown}`, async () => {
      const { message, mail } = await send({ body: `Dear Kim${injection}\nyour order shipped` });
      assertClean(mail, message.to);
      assert.ok(mail.mail.text?.includes('Dear Kim'));
      assert.ok(!String(mail.mail.html).includes('<html>body takeover'));
    });
  }

  it('a recipient address with CR/LF reaches no other mailbox', async () => {
    const message = emailMessage({ to: 'user@example.com\r\nBcc: victim@evil.example' });
    const before = relay.received.length;
    await relay.vendor.send(message, AbortSignal.timeout(10_000)).then(
      () => {
        const mail = relay.received.find((r) => r.messageId === message.messageId);
        assert.ok(mail);
        assert.ok(
          mail.envelope.to.every((to) => !to.includes('evil.example')),
          JSON.stringify(mail.envelope),
        );
        assert.equal(mail.mail.headers.has('bcc'), false);
      },
      (error: Error) => {
        assert.equal(error.name, 'HeraldError');
        assert.equal(relay.received.length, before);
      },
    );
  });

  it('a Reply-To that is not one plain address is refused before anything is sent', async () => {
    const before = relay.received.length;
    for (const replyTo of [
      'help@shop.example\r\nBcc: victim@evil.example',
      'help@shop.example, victim@evil.example',
      '"Help" <help@shop.example>',
      'help@shop.example\u2028X-Injected: yes',
    ]) {
      await assert.rejects(relay.vendor.send(emailMessage({ replyTo }), AbortSignal.timeout(10_000)), {
        name: 'HeraldError',
        vendorCode: 'REPLY_TO',
      });
    }
    assert.equal(relay.received.length, before);
  });

  it('a plain Reply-To arrives as the one Reply-To header', async () => {
    const { message, mail } = await send({ replyTo: 'help@shop.example' });
    assertClean(mail, message.to);
    assert.deepEqual(
      mail.mail.replyTo?.value.map((v) => v.address),
      ['help@shop.example'],
    );
  });
});
