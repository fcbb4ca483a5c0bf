import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_REMOTE_CONFIG } from '../../src/config/default-remote-config.ts';
import type { ReceivedMail } from '../../src/simulators/smtp/smtp-simulator.ts';
import {
  startTestHerald,
  type TestHerald,
  VENDOR_ACCEPTED,
  waitFor,
  waitForRequest,
} from '../support/herald-harness.ts';

/**
 * E-mail on the embedded default through the real SMTP adapter: API -> transport -> lane -> router
 * -> nodemailer pool -> the simulator's SMTP server (AUTH with the generated account) -> mailparser;
 * and the second e-mail route, the real SES v2 adapter (AWS SDK, SigV4) at the simulator's SES API.
 */
describe('e-mail through smtp, end to end (embedded default)', () => {
  let h: TestHerald;
  const received: ReceivedMail[] = [];
  before(async () => {
    h = await startTestHerald();
    h.herald.fleet.simulator!.smtp!.onMail((mail) => received.push(mail));
  });
  after(() => h.stop());

  const sim = () => h.herald.fleet.simulator!;
  const emailRequest = (count: number, offset: number) => ({
    channel: 'email',
    lane: 'realtime',
    content: { subject: 'Order #{order}', body: 'Hello #{name},\nyour order #{order} shipped.' },
    recipients: Array.from({ length: count }, (_, i) => ({
      to: `user${offset + i}@example.com`,
      vars: { name: `Kim <${i}>`, order: String(1000 + i) },
    })),
  });

  it('routes e-mail to smtp, with ses beside it at a lower weight', () => {
    const routes = DEFAULT_REMOTE_CONFIG.routing.email ?? [];
    assert.deepEqual(
      routes.map((route) => route.vendor),
      ['smtp', 'ses'],
    );
    assert.ok(routes[0]!.weight > routes[1]!.weight);
  });

  it('delivers 100 recipients to the SMTP server once each, parsed and checked, and shows 100 sent', async () => {
    // The default sends a share to ses; here every message must reach the SMTP server.
    const document = structuredClone(DEFAULT_REMOTE_CONFIG) as { routing: Record<string, unknown> };
    document.routing.email = [
      { vendor: 'smtp', weight: 100 },
      { vendor: 'ses', weight: 0 },
    ];
    const put = await h.call('PUT', '/admin/config', document);
    assert.equal(put.status, 200, JSON.stringify(put.body));
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // every worker applies it within a second

    const accepted = await h.call('POST', '/v1/messages', emailRequest(100, 0));
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    const view = await waitForRequest(h, accepted.body.requestId);
    const messages = view.messages as { messageId: string; status: string; vendor: string }[];
    assert.equal(messages.filter((m) => m.status === 'sent').length, 100);
    assert.ok(messages.every((m) => m.vendor === 'smtp'));
    for (const message of messages) assert.equal(sim().countFor('smtp', message.messageId), 1);
    await waitFor(async () => received.length >= 100, 10_000, 'every message parsed');
    const byId = new Map(received.map((mail) => [mail.messageId, mail]));
    for (const [i, message] of messages.entries()) {
      const mail = byId.get(message.messageId);
      assert.ok(mail, `message ${i} parsed at the relay`);
      assert.equal(mail.mail.messageId, `<${message.messageId}@herald.local>`);
      assert.equal(mail.envelope.to.length, 1);
      const n = Number(mail.envelope.to[0]!.match(/^user(\d+)@/)![1]);
      assert.equal(mail.mail.subject, `Order ${1000 + n}`);
      assert.equal(mail.mail.text?.trim(), `Hello Kim <${n}>,\nyour order ${1000 + n} shipped.`);
      assert.match(String(mail.mail.html), new RegExp(`Hello Kim &lt;${n}&gt;,<br>`));
    }
    assert.equal(sim().stats().vendors.smtp?.duplicates, 0);
  });

  it('fails over to ses while the SMTP server refuses everything (default weights)', async () => {
    const put = await h.call('PUT', '/admin/config', DEFAULT_REMOTE_CONFIG);
    assert.equal(put.status, 200, JSON.stringify(put.body));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    sim().setBehaviour('smtp', { errorShare: 1, errors: [{ status: 503, code: '421 4.3.2', weight: 1 }] });
    try {
      const accepted = await h.call('POST', '/v1/messages', emailRequest(20, 500));
      assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
      // Sent, or already its receipt: the SES simulator notifies each one delivered or bounced.
      const view = await waitForRequest(h, accepted.body.requestId, VENDOR_ACCEPTED);
      const messages = view.messages as { messageId: string; status: string; vendor: string }[];
      assert.deepEqual(
        messages.map((m) => m.vendor),
        messages.map(() => 'ses'),
      );
      for (const message of messages) {
        assert.equal(sim().countFor('smtp', message.messageId), 0);
        assert.equal(sim().countFor('ses', message.messageId), 1);
      }
    } finally {
      sim().setBehaviour('smtp', { errorShare: 0 });
    }
  });
});
