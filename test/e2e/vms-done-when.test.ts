import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureTextCredentials } from '../../src/simulators/text/text-credentials.ts';
import { solapiAuthorization } from '../../src/vendors/solapi/solapi-auth.ts';
import { startTestHerald, type TestHerald, waitForRequest } from '../support/herald-harness.ts';

const CARRIERS = ['SKT', 'KT', 'LGU+', 'MVNO'];

/**
 * Issue 11's done-when for VMS, through the API on the embedded default: the request is accepted,
 * sent through solapi-vms to the SOLAPI simulator (which takes only a valid HMAC-SHA256 signature
 * of herald's account: it refuses a wrong one, shown here too), and ends delivered or undelivered
 * by solapi-vms' receipt look-up, with the carrier.
 */
describe('VMS done-when: accepted, signed, sent through solapi-vms, receipted (embedded)', () => {
  let h: TestHerald;
  const credentialsDir = mkdtempSync(join(tmpdir(), 'herald-vms-credentials-'));
  const sim = () => h.herald.fleet.simulator!;

  before(async () => {
    h = await startTestHerald({ HERALD_SIMULATOR_CREDENTIALS_DIR: credentialsDir });
    sim().text.results.resultDelayMs = 300;
  });
  after(async () => {
    await h?.stop();
    rmSync(credentialsDir, { recursive: true, force: true });
  });

  it('refuses a wrong signature at the simulator, and herald’s VMS ends with a receipt and a carrier', async () => {
    const account = ensureTextCredentials(credentialsDir)['solapi-vms']!;
    const forged = await fetch(`${sim().url}/solapi-vms/messages/v4/send-many/detail`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: solapiAuthorization(account.accountId, 'not-the-api-secret'),
      },
      body: JSON.stringify({
        messages: [{ to: '01055570001', from: '0212345678', text: '안녕', type: 'VOICE' }],
      }),
    });
    assert.equal(forged.status, 403);
    assert.equal(((await forged.json()) as { errorCode: string }).errorCode, 'SignatureDoesNotMatch');

    const accepted = await h.call('POST', '/v1/messages', {
      channel: 'vms',
      lane: 'realtime',
      content: { body: '#{name}님, 내일 오전에 배송됩니다. 변경하시려면 1번을 눌러 주세요.' },
      vms: {
        voiceType: 'female',
        headerMessage: '헤럴드에서 알려 드립니다',
        tailMessage: '감사합니다',
        replyRange: 1,
      },
      recipients: [{ to: '01055570002', vars: { name: '김민수' } }],
    });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    const messageId = accepted.body.messages[0].messageId as string;
    const view = await waitForRequest(h, accepted.body.requestId, [
      'delivered',
      'undelivered',
      'failed',
      'expired',
    ]);
    assert.ok(
      ['delivered', 'undelivered'].includes(view.messages[0].status),
      JSON.stringify(view.messages[0]),
    );

    const message = (await h.call('GET', `/v1/messages/${messageId}`)).body;
    assert.equal(message.vendor, 'solapi-vms');
    assert.ok(CARRIERS.includes(message.carrier), message.carrier);
    const statuses = message.events.map((e: { status: string }) => e.status);
    assert.deepEqual(statuses, ['accepted', 'queued', 'sending', 'sent', message.status]);
    const sent = message.events[3];
    assert.equal(sent.vendorMessageId, message.vendorMessageId);
    assert.equal(message.events[4].carrier, message.carrier);

    const stats = (await h.call('GET', '/_sim/stats')).body;
    assert.equal(sim().countFor('solapi-vms', messageId), 1, 'one VOICE message, signed as SOLAPI checks');
    assert.equal(stats.vendors['solapi-vms'].received, 1);
    const side = stats.receipts['solapi-vms'][message.status] as Record<string, number>;
    assert.equal(side[message.carrier], 1, 'the simulator reported this receipt, under this carrier');
  });
});
