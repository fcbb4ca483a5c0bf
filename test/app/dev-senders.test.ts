import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEV_KAKAO_CHANNEL, DEV_SENDER_NUMBER, devSenderIds } from '../../src/app/dev-senders.ts';
import { checkHealth } from '../../src/app/health.ts';
import { DEFAULT_REMOTE_CONFIG } from '../../src/config/default-remote-config.ts';
import { phoneNumbers, startTestHerald, waitForRequest } from '../support/herald-harness.ts';

describe('development senders at start', () => {
  it('a fresh start with simulators registers a sender number and Kakao channel for the bootstrap client, and an SMS goes', async () => {
    const h = await startTestHerald();
    try {
      const numbers = await h.call('GET', '/v1/sender-numbers');
      assert.deepEqual(
        numbers.body.numbers.map((n: { number: string; isDefault: boolean }) => [n.number, n.isDefault]),
        [[DEV_SENDER_NUMBER, true]],
      );
      assert.equal(numbers.body.clientId, 'default');
      const channels = await h.call('GET', '/v1/kakao-channels');
      assert.equal(channels.body.channels[0].name, DEV_KAKAO_CHANNEL);
      for (const route of DEFAULT_REMOTE_CONFIG.routing.alimtalk) {
        assert.ok(channels.body.channels[0].senderIds[route.vendor], `an id at ${route.vendor}`);
      }
      const accepted = await h.call('POST', '/v1/messages', {
        channel: 'sms',
        lane: 'realtime',
        content: { body: 'hello' },
        recipients: [{ to: phoneNumbers(1)[0] }],
      });
      assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
      const done = await waitForRequest(h, accepted.body.requestId);
      assert.equal(done.messages[0].status, 'sent');
      const health = await h.call('GET', '/health');
      assert.deepEqual(health.body.components.senders, { ok: true }, 'the registry is on /health');
    } finally {
      await h.stop();
    }
  });

  it("leaves a client's own registration alone at the next start", async () => {
    const first = await startTestHerald();
    const put = await first.call('PUT', '/v1/sender-numbers', {
      clientId: 'default',
      numbers: [{ number: '1588-1234' }],
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    await first.stop({ keepData: true });
    const second = await startTestHerald({}, first.dataDir);
    try {
      const numbers = await second.call('GET', '/v1/sender-numbers');
      assert.deepEqual(
        numbers.body.numbers.map((n: { number: string }) => n.number),
        ['15881234'],
      );
    } finally {
      await second.stop();
    }
  });

  it('registers nothing when no simulator runs', async () => {
    const h = await startTestHerald({ HERALD_SIMULATORS: 'off' });
    try {
      assert.deepEqual((await h.call('GET', '/v1/sender-numbers')).body.numbers, []);
      assert.deepEqual((await h.call('GET', '/v1/kakao-channels')).body.channels, []);
    } finally {
      await h.stop();
    }
  });

  it('does not make the API unready when the registry fails (the cached lists carry on)', async () => {
    const up = { healthy: async () => true };
    const report = await checkHealth({
      stores: { transport: up, history: up, config: up, dedup: up, senders: { healthy: async () => false } },
      lanes: [],
      retries: [],
      vendors: {},
      stopping: false,
    });
    assert.equal(report.ready, true);
    assert.equal(report.components.senders?.ok, false);
    assert.match(report.components.senders?.detail ?? '', /stale-if-error/);
  });

  it('gives each AlimTalk vendor an id of its own shape', () => {
    const ids = devSenderIds(DEFAULT_REMOTE_CONFIG);
    assert.match(ids['nhn-alimtalk']!, /^[0-9a-f]{40}$/);
    assert.equal(ids['sens-alimtalk'], DEV_KAKAO_CHANNEL);
    assert.match(ids['solapi-alimtalk']!, /^KA01PF/);
  });
});
