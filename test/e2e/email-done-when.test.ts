import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { DEV_EMAIL_SENDER } from '../../src/app/dev-senders.ts';
import { DEFAULT_REMOTE_CONFIG } from '../../src/config/default-remote-config.ts';
import type { ReceivedMail } from '../../src/simulators/smtp/smtp-simulator.ts';
import {
  startTestHerald,
  type TestHerald,
  VENDOR_ACCEPTED,
  waitFor,
  waitForRequest,
} from '../support/herald-harness.ts';

const DOMAIN = 'mail.herald.test';
const SELECTOR = 'herald2026';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const KEY_RECORD = `v=DKIM1; k=rsa; p=${(publicKey.export({ type: 'spki', format: 'der' }) as Buffer).toString('base64')}`;

/** DNS as the verifier sees it: only the selector's TXT record exists. */
async function resolver(name: string, type: string): Promise<string[][]> {
  if (type === 'TXT' && name === `${SELECTOR}._domainkey.${DOMAIN}`) return [[KEY_RECORD]];
  throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
}

/** The header names a message of herald carries (mailparser's keys, lower case); nothing else may appear. */
const EXPECTED_HEADERS = new Set([
  'content-type',
  'from',
  'to',
  'reply-to',
  'subject',
  'message-id',
  'date',
  'mime-version',
  'dkim-signature',
]);

/**
 * The done-when for e-mail, through herald's API on the embedded default: one request to
 * 100 recipients arrives at the simulator's SMTP server 100 times, each parsed and checked (From of
 * the client's registered sender, Reply-To, Subject and text rendered, the client's HTML part with
 * its values escaped, Message-ID from herald's id, the DKIM signature verifying with the published
 * key, no header but herald's); header-bound fields with line breaks are refused at the API; and
 * with the SMTP server stopped, e-mail fails over to SES: all 100 end `sent` through `ses`, or
 * already its receipt (the SES simulator notifies each one delivered or bounced, through SNS).
 */
describe('e-mail done-when, end to end (embedded default)', () => {
  let h: TestHerald;
  let keyDir: string;
  const received: ReceivedMail[] = [];
  const sim = () => h.herald.fleet.simulator!;

  const putConfig = async (smtpWeight: number, sesWeight: number) => {
    const document = structuredClone(DEFAULT_REMOTE_CONFIG) as unknown as {
      routing: Record<string, unknown>;
      vendors: Record<string, Record<string, unknown>>;
    };
    document.routing.email = [
      { vendor: 'smtp', weight: smtpWeight },
      { vendor: 'ses', weight: sesWeight },
    ];
    document.vendors.smtp = {
      ...document.vendors.smtp,
      dkim: { domainName: DOMAIN, keySelector: SELECTOR, privateKey: { file: join(keyDir, 'dkim.pem') } },
    };
    const put = await h.call('PUT', '/admin/config', document);
    assert.equal(put.status, 200, JSON.stringify(put.body));
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // every worker applies it within a second
  };

  before(async () => {
    keyDir = mkdtempSync(join(tmpdir(), 'herald-dkim-'));
    writeFileSync(join(keyDir, 'dkim.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, {
      mode: 0o600,
    });
    h = await startTestHerald();
    sim().smtp!.onMail((mail) => received.push(mail));
    await putConfig(100, 0);
  });
  after(async () => {
    await h.stop();
    rmSync(keyDir, { recursive: true, force: true });
  });

  const emailRequest = (count: number, offset: number) => ({
    channel: 'email',
    lane: 'realtime',
    replyTo: 'help@shop.example',
    content: {
      subject: 'Order #{order}: shipped',
      body: 'Hello #{name},\nyour order #{order} shipped.',
      html: '<!doctype html><html><body><p>Hello <b>#{name}</b>,</p><p>order #{order} shipped.</p></body></html>',
    },
    recipients: Array.from({ length: count }, (_, i) => ({
      to: `user${offset + i}@example.com`,
      vars: { name: `Kim <${offset + i}> & "co"`, order: String(1000 + offset + i) },
    })),
  });

  it('delivers 100 recipients to the SMTP server once each, parsed, checked and DKIM-verified', async () => {
    const accepted = await h.call('POST', '/v1/messages', emailRequest(100, 0));
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    const view = await waitForRequest(h, accepted.body.requestId);
    const messages = view.messages as { messageId: string; status: string; vendor: string }[];
    assert.equal(messages.length, 100);
    assert.ok(
      messages.every((m) => m.status === 'sent' && m.vendor === 'smtp'),
      JSON.stringify(messages[0]),
    );
    await waitFor(async () => received.length >= 100, 10_000, 'every message parsed');
    assert.equal(received.length, 100);
    const byId = new Map(received.map((mail) => [mail.messageId, mail]));
    for (const message of messages) {
      assert.equal(sim().countFor('smtp', message.messageId), 1);
      const mail = byId.get(message.messageId);
      assert.ok(mail, 'parsed at the relay');
      const n = Number(mail.envelope.to[0]!.match(/^user(\d+)@/)![1]);
      assert.deepEqual(mail.envelope, { from: DEV_EMAIL_SENDER, to: [`user${n}@example.com`] });
      assert.equal(mail.mail.messageId, `<${message.messageId}@herald.local>`);
      assert.deepEqual(mail.mail.from?.value, [{ address: DEV_EMAIL_SENDER, name: 'herald' }]);
      assert.deepEqual(
        mail.mail.replyTo?.value.map((v) => v.address),
        ['help@shop.example'],
      );
      assert.equal(mail.mail.subject, `Order ${1000 + n}: shipped`);
      assert.equal(mail.mail.text?.trim(), `Hello Kim <${n}> & "co",\nyour order ${1000 + n} shipped.`);
      assert.equal(
        String(mail.mail.html).trim(),
        `<!doctype html><html><body><p>Hello <b>Kim &lt;${n}&gt; &amp; &quot;co&quot;</b>,</p>` +
          `<p>order ${1000 + n} shipped.</p></body></html>`,
      );
      const unexpected = [...mail.mail.headers.keys()].filter((key) => !EXPECTED_HEADERS.has(key));
      assert.deepEqual(unexpected, [], "no header but herald's");
      const { results } = await dkimVerify(mail.raw, { resolver });
      assert.equal(results.length, 1);
      assert.equal(results[0]!.status.result, 'pass', JSON.stringify(results[0]!.status));
      assert.equal(results[0]!.signingDomain, DOMAIN);
    }
    assert.equal(sim().stats().vendors.smtp?.duplicates, 0);
  });

  it('refuses a line break in any header-bound field at the API, and nothing reaches the relay', async () => {
    const before = received.length;
    const base = emailRequest(1, 900);
    const breaks = [
      '\r\nBcc: victim@evil.example',
      '\n',
      '\r',
      '\u2028',
      '\u2029',
      '\u0085',
      '\u0000',
      '\u007f',
    ];
    for (const injected of breaks) {
      const shown = JSON.stringify(injected);
      const cases: [string, object, string][] = [
        [
          'subject',
          { ...base, content: { ...base.content, subject: `Order${injected}` } },
          'HERALD_CONTROL_CHARACTER',
        ],
        ['replyTo', { ...base, replyTo: `help@shop.example${injected}` }, 'HERALD_CONTROL_CHARACTER'],
        ['from', { ...base, from: `${DEV_EMAIL_SENDER}${injected}` }, 'HERALD_CONTROL_CHARACTER'],
      ];
      for (const [field, body, code] of cases) {
        const refused = await h.call('POST', '/v1/messages', body);
        assert.equal(refused.status, 400, `${field} with ${shown}: ${JSON.stringify(refused.body)}`);
        assert.equal(refused.body.error.code, code, `${field} with ${shown}`);
      }
      // A var rendered into the subject: that recipient is refused (the request had no other).
      const viaVar = await h.call('POST', '/v1/messages', {
        ...base,
        recipients: [
          { to: 'user900@example.com', vars: { name: 'Kim', order: `1${injected}X-Injected: yes` } },
        ],
      });
      assert.equal(viaVar.status, 422, `a var with ${shown}: ${JSON.stringify(viaVar.body)}`);
      assert.equal(viaVar.body.messages[0].error.code, 'HERALD_CONTROL_CHARACTER');
    }
    const recipient = await h.call('POST', '/v1/messages', {
      ...base,
      recipients: [{ to: 'user900@example.com\r\nBcc: victim@evil.example' }],
    });
    assert.equal(recipient.status, 422, JSON.stringify(recipient.body));
    assert.equal(recipient.body.messages[0].error.code, 'HERALD_INVALID_EMAIL');
    assert.equal(received.length, before, 'nothing reached the relay');
  });

  it('fails over to ses while the SMTP server is stopped: all 100 end sent (or receipted) through ses', async () => {
    await putConfig(80, 20);
    await sim().smtp!.close();
    const accepted = await h.call('POST', '/v1/messages', emailRequest(100, 1000));
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    const view = await waitForRequest(h, accepted.body.requestId, VENDOR_ACCEPTED, 120_000);
    const messages = view.messages as { messageId: string; status: string; vendor: string }[];
    assert.equal(messages.length, 100);
    assert.deepEqual(
      messages.map((m) => m.vendor),
      messages.map(() => 'ses'),
    );
    for (const message of messages) {
      assert.equal(sim().countFor('smtp', message.messageId), 0);
      assert.equal(sim().countFor('ses', message.messageId), 1);
    }
  });
});
