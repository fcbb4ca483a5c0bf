import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { defaultSimulatorCredentialsDir } from '../../src/config/env-config.ts';
import { sesDeliveryNotification, signedSnsNotification } from '../../src/simulators/ses/sns-notifier.ts';
import { ensureSnsSigningCredentials } from '../../src/simulators/ses/sns-signing-credentials.ts';
import { startTestHerald, type TestHerald, waitFor, waitForRequest } from '../support/herald-harness.ts';

const MESSAGES = 40;

/**
 * The issue's done-when for SES on the embedded default: e-mail routed to `ses` alone ends
 * `delivered` or `undelivered` (a bounce) for every message, through the SES simulator's SNS
 * notifications to herald's own /ses/notifications, signed with the simulators' key and verified
 * with the certificate herald pins while it runs against simulators; herald's counts match what
 * the simulator says the receiver took; a notification whose signature does not verify is refused.
 */
describe('SES notifications to delivered/undelivered, end to end (embedded default)', () => {
  let h: TestHerald;
  const sim = () => h.herald.fleet.simulator!;

  before(async () => {
    h = await startTestHerald();
    sim().text.results.resultDelayMs = 200;
    sim().text.results.mix = { ...sim().text.results.mix, undeliveredShare: 0.25 };
    const current = await h.call('GET', '/admin/config');
    const document = structuredClone(current.body.document);
    document.routing.email = [
      { vendor: 'smtp', weight: 0 },
      { vendor: 'ses', weight: 100 },
    ];
    const put = await h.call('PUT', '/admin/config', document, { 'if-match': String(current.body.version) });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    await waitFor(async () => h.herald.config.version === put.body.version, 10_000, 'config applied');
  });
  after(() => h?.stop());

  it('every e-mail through ses ends delivered or undelivered by its SNS notification', async () => {
    const accepted = await h.call('POST', '/v1/messages', {
      channel: 'email',
      lane: 'realtime',
      content: { subject: 'Your receipt', body: 'Thank you, #{name}.' },
      recipients: Array.from({ length: MESSAGES }, (_, i) => ({
        to: `buyer${i}@example.com`,
        vars: { name: `buyer ${i}` },
      })),
    });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    const view = await waitForRequest(h, accepted.body.requestId, ['delivered', 'undelivered'], 60_000);
    const messages = view.messages as { messageId: string; status: string; vendor: string }[];
    assert.equal(messages.length, MESSAGES);
    assert.ok(
      messages.every((m) => m.vendor === 'ses'),
      'all through ses',
    );
    for (const message of messages) assert.equal(sim().countFor('ses', message.messageId), 1);
    const undelivered = messages.filter((m) => m.status === 'undelivered').length;
    assert.ok(undelivered > 0 && undelivered < MESSAGES, `a share bounced (${undelivered})`);
    assert.deepEqual(sim().stats().receipts.ses, {
      delivered: { unknown: MESSAGES - undelivered },
      undelivered: { unknown: undelivered },
    });
  });

  it('refuses a notification that does not verify: another key, or an altered message', async () => {
    const signing = ensureSnsSigningCredentials(defaultSimulatorCredentialsDir(h.dataDir));
    const post = (body: object) =>
      fetch(`${h.url}/ses/notifications`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': 'Notification' },
        body: JSON.stringify(body),
      });
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forger = {
      ...signing,
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    };
    const forged = await post(signedSnsNotification(forger, sesDeliveryNotification('0100-forged-000000')));
    assert.equal(forged.status, 401);
    assert.equal(((await forged.json()) as { error: { code: string } }).error.code, 'HERALD_UNAUTHORIZED');
    const genuine = signedSnsNotification(signing, sesDeliveryNotification('0100-genuine-000000'));
    const altered = await post({ ...genuine, Message: genuine.Message.replace('Delivery', 'Bounce') });
    assert.equal(altered.status, 401);
    await altered.body?.cancel();
    const accepted = await post(genuine);
    assert.equal(accepted.status, 200, 'the simulators’ own signature verifies');
    await accepted.body?.cancel();
  });
});
