import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emailMessage, SMTP_VENDOR_ID, useSmtpRelay } from './smtp-test-kit.ts';

/** What the relay received, parsed back with mailparser: headers and parts as herald meant them. */
describe('smtp adapter: the message as the relay reads it', () => {
  const relay = useSmtpRelay();

  const sendAndRead = async (overrides: Parameters<typeof emailMessage>[0] = {}) => {
    const message = emailMessage(overrides);
    const receipt = await relay.vendor.send(message, AbortSignal.timeout(10_000));
    const mail = relay.received.find((r) => r.messageId === message.messageId);
    assert.ok(mail, 'the relay received the message');
    return { message, receipt, mail };
  };

  it('carries Message-ID, From, To, Subject and a text and an HTML part', async () => {
    const { message, receipt, mail } = await sendAndRead({
      subject: '주문 안내 — your order',
      body: 'Line 1\nLine 2',
    });
    assert.equal(mail.mail.messageId, `<${message.messageId}@herald.test>`);
    assert.equal(receipt.vendorMessageId, `<${message.messageId}@herald.test>`);
    assert.deepEqual(mail.envelope, { from: 'no-reply@herald.test', to: [message.to] });
    assert.equal(mail.mail.from?.value[0]?.address, 'no-reply@herald.test');
    assert.equal(mail.mail.from?.value[0]?.name, 'herald');
    const to = Array.isArray(mail.mail.to) ? mail.mail.to[0] : mail.mail.to;
    assert.equal(to?.value[0]?.address, message.to);
    assert.equal(mail.mail.subject, '주문 안내 — your order');
    assert.equal(mail.mail.text?.trim(), 'Line 1\nLine 2');
    assert.match(String(mail.mail.html), /Line 1<br>\s*Line 2/);
    assert.equal((mail.mail.headers.get('content-type') as { value: string }).value, 'multipart/alternative');
    assert.equal(relay.sim.countFor(SMTP_VENDOR_ID, message.messageId), 1);
  });

  it('escapes markup of the text in the HTML part', async () => {
    const { mail } = await sendAndRead({ body: 'Hi <b>Kim</b> & "co" <script>alert(1)</script>' });
    const html = String(mail.mail.html);
    assert.ok(!html.includes('<script>'), html);
    assert.ok(!html.includes('<b>'), html);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.equal(mail.mail.text?.trim(), 'Hi <b>Kim</b> & "co" <script>alert(1)</script>');
  });

  it("uses the message's own From address when it has one", async () => {
    const { mail } = await sendAndRead({ from: '"Shop" <orders@shop.example>' });
    assert.equal(mail.mail.from?.value[0]?.name, 'Shop');
    assert.equal(mail.mail.from?.value[0]?.address, 'orders@shop.example');
    assert.equal(mail.envelope.from, 'orders@shop.example');
  });

  it('sends a registered display name outside ASCII encoded, and the Reply-To', async () => {
    const { mail } = await sendAndRead({
      from: '"쇼핑 \\"Seoul\\"" <orders@shop.example>',
      replyTo: 'help@shop.example',
    });
    assert.equal(mail.mail.from?.value[0]?.name, '쇼핑 "Seoul"');
    assert.equal(mail.mail.from?.value[0]?.address, 'orders@shop.example');
    assert.deepEqual(
      mail.mail.replyTo?.value.map((v) => v.address),
      ['help@shop.example'],
    );
  });

  it("sends the request's HTML part as the text/html part, the body as text/plain", async () => {
    const html = '<!doctype html><html><body><h1>Order</h1><p>Kim &amp; Lee</p></body></html>';
    const { mail } = await sendAndRead({ body: 'Order\nKim & Lee', html });
    assert.equal(String(mail.mail.html).trim(), html);
    assert.equal(mail.mail.text?.trim(), 'Order\nKim & Lee');
  });

  it("puts an ad's opt-out notice and link in the request's HTML part too, before </body>", async () => {
    const url = 'https://herald.example/unsubscribe/tok';
    const { mail } = await sendAndRead({
      body: '(광고) Sale\n\nunsubscribe: https://herald.example/unsubscribe/tok',
      html: '<html><body><p>(광고) Sale</p></body></html>',
      unsubscribeUrl: url,
    });
    const received = String(mail.mail.html);
    assert.match(
      received,
      /<p>\(광고\) Sale<\/p>\n<p>수신을 원하지 않으시면[\s\S]*https:\/\/herald\.example\/unsubscribe\/tok<\/p>\n<\/body><\/html>/,
    );
  });
});
