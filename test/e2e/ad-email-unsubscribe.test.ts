import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_REMOTE_CONFIG } from '../../src/config/default-remote-config.ts';
import type { ReceivedMail } from '../../src/simulators/smtp/smtp-simulator.ts';
import { startTestHerald, type TestHerald, waitFor, waitForRequest } from '../support/herald-harness.ts';
import { headerLine } from '../vendors/smtp/smtp-test-kit.ts';

/**
 * Ad e-mail's one-click unsubscribe on the embedded default: the mail the SMTP server receives
 * carries List-Unsubscribe (herald's own URL, with a signed token) and List-Unsubscribe-Post, its
 * body ends with the same link; POSTing the link as a mailbox does opts the address out, and the
 * next ad to it is refused HERALD_RECIPIENT_OPTED_OUT.
 */
describe('ad e-mail unsubscribe, end to end (embedded default)', () => {
  let h: TestHerald;
  const received: ReceivedMail[] = [];
  before(async () => {
    h = await startTestHerald();
    h.herald.fleet.simulator!.smtp!.onMail((mail) => received.push(mail));
    const document = structuredClone(DEFAULT_REMOTE_CONFIG) as { routing: Record<string, unknown> };
    document.routing.email = [{ vendor: 'smtp', weight: 100 }];
    const put = await h.call('PUT', '/admin/config', document);
    assert.equal(put.status, 200, JSON.stringify(put.body));
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // every worker applies it within a second
  });
  after(() => h.stop());

  const ad = (to: string, sale: number) =>
    h.call('POST', '/v1/messages', {
      channel: 'email',
      lane: 'ad',
      sender: { name: '헤럴드마트' },
      content: {
        subject: `(광고) 헤럴드마트 봄 세일 ${sale}%`,
        body: '헤럴드마트 봄 세일\n서울시 중구, 02-123-4567',
      },
      recipients: [{ to }],
    });

  it('delivers List-Unsubscribe, and its one-click POST opts the address out', async () => {
    const accepted = await ad('Shopper@Example.com', 20);
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    const view = await waitForRequest(h, accepted.body.requestId);
    const [message] = view.messages as { messageId: string; status: string; vendor: string }[];
    assert.deepEqual([message!.status, message!.vendor], ['sent', 'smtp']);
    await waitFor(
      async () => received.some((m) => m.messageId === message!.messageId),
      10_000,
      'mail parsed',
    );
    const mail = received.find((m) => m.messageId === message!.messageId)!;

    assert.equal(mail.mail.subject, '(광고) 헤럴드마트 봄 세일 20%');
    assert.equal(
      headerLine(mail, 'list-unsubscribe-post'),
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    );
    const url = /^List-Unsubscribe: <([^>]+)>$/.exec(headerLine(mail, 'list-unsubscribe') ?? '')?.[1];
    assert.ok(url !== undefined, 'a List-Unsubscribe header with one URL');
    assert.ok(url.startsWith(`${h.url}/v1/unsubscribe/`), `herald's own endpoint: ${url}`);
    assert.ok(!/shopper/i.test(url), 'no address in the link');
    assert.ok(mail.mail.text?.trimEnd().endsWith(url), 'the body ends with the same link');

    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<form method="post">/);
    assert.equal((await ad('shopper@example.com', 21)).status, 202, 'a GET opts nobody out');

    const oneClick = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
      redirect: 'manual',
    });
    assert.equal(oneClick.status, 200, 'no redirect (RFC 8058 §3.2)');

    const refused = await ad('shopper@example.com', 22);
    assert.equal(refused.status, 422, JSON.stringify(refused.body));
    assert.equal(refused.body.messages[0].error.code, 'HERALD_RECIPIENT_OPTED_OUT');
  });

  it('refuses an ad e-mail without (광고) at the start of its subject', async () => {
    const response = await h.call('POST', '/v1/messages', {
      channel: 'email',
      lane: 'ad',
      sender: { name: '헤럴드마트' },
      content: { subject: '봄 세일 (광고)', body: '(광고) 헤럴드마트 봄 세일' },
      recipients: [{ to: 'someone@example.com' }],
    });
    assert.equal(response.status, 400);
    assert.equal(response.body.error.code, 'HERALD_AD_MARKING_MISSING');
    assert.match(response.body.error.message, /content\.subject/);
  });
});
