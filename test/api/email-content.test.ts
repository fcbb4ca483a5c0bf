import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { envelopes } from '../core/submission/fake-submission-context.ts';
import { auth, buildTestApp, smsBody, type TestApp } from './test-app.ts';

/** An e-mail's HTML part at the API: rendered per recipient with escaped values, within its limit. */
describe('e-mail content: the HTML part', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp();
  });
  afterEach(async () => {
    await t.app.close();
    await t.senders.close();
  });

  const send = (body: object) =>
    t.app.inject({ method: 'POST', url: '/v1/messages', headers: auth(), payload: body });
  const email = (content: object, recipients: object[] = [{ to: 'kim@example.com' }]) => ({
    channel: 'email',
    lane: 'realtime',
    content,
    recipients,
  });

  it('renders #{var} HTML-escaped in the HTML part and as given in the text and subject', async () => {
    const accepted = await send(
      email(
        {
          subject: 'Order #{order}',
          body: 'Hello #{name}',
          html: '<p title="#{name}">Hello <b>#{name}</b>, order #{order}</p>',
        },
        [{ to: 'kim@example.com', vars: { name: `<script>"Kim" & 'Lee'</script>`, order: 'A-1' } }],
      ),
    );
    assert.equal(accepted.statusCode, 202, accepted.body);
    const [envelope] = envelopes(t.submission.produced);
    assert.deepEqual(envelope?.content, {
      subject: 'Order A-1',
      body: `Hello <script>"Kim" & 'Lee'</script>`,
      html:
        '<p title="&lt;script&gt;&quot;Kim&quot; &amp; &#39;Lee&#39;&lt;/script&gt;">Hello ' +
        '<b>&lt;script&gt;&quot;Kim&quot; &amp; &#39;Lee&#39;&lt;/script&gt;</b>, order A-1</p>',
    });
  });

  it('carries fixed HTML as written', async () => {
    const html = '<html><body><p>Sale &amp; more</p></body></html>';
    assert.equal((await send(email({ subject: 'Sale', body: 'Sale & more', html }))).statusCode, 202);
    assert.equal(envelopes(t.submission.produced)[0]?.content?.html, html);
  });

  it('refuses an HTML part over 512 KiB of UTF-8, fixed or once rendered, and on other channels', async () => {
    const big = '가'.repeat(180_000); // 540,000 UTF-8 bytes in 180,000 characters (under the schema's count)
    const fixed = await send(email({ subject: 's', body: 'b', html: big }));
    assert.equal(fixed.statusCode, 400, fixed.body);
    assert.equal(fixed.json().error.code, 'HERALD_BODY_TOO_LONG');
    assert.match(fixed.json().error.message, /content\.html/);
    const rendered = await send(
      email({ subject: 's', body: 'b', html: `<p>${'#{a}'.repeat(40)}</p>` }, [
        { to: 'kim@example.com', vars: { a: '<'.repeat(4_000) } }, // escaped: 4 bytes each, 640,000 in all
      ]),
    );
    assert.equal(rendered.statusCode, 422, rendered.body);
    assert.equal(rendered.json().messages[0].error.code, 'HERALD_BODY_TOO_LONG');
    const sms = await send({ ...smsBody(), content: { body: 'hi', html: '<p>hi</p>' } });
    assert.equal(sms.statusCode, 400);
    assert.match(sms.json().error.message, /content\.html/);
    assert.equal(t.submission.produced.length, 0);
  });
});
