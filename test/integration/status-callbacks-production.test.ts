import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { productionEnginesSkip } from '../support/engines.ts';
import { startTestHerald, type TestHerald, waitFor } from '../support/herald-harness.ts';
import { productionEnv, uniqueNamespace } from '../support/production-env.ts';
import {
  LOOPBACK,
  messageIdsOf,
  sendSms,
  setCallbacks,
  verifies,
  waitForEvents,
} from '../support/status-callbacks.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const skip = await productionEnginesSkip();

/**
 * Status callbacks on Kafka + Redis + PostgreSQL: herald.callbacks and its retry topic on the
 * broker, the webhook in PostgreSQL (no webhooks.db in the data directory), the secret sealed with
 * HERALD_WEBHOOK_KEY, and a restart in between that loses nothing registered.
 */
describe('status callbacks on the production engines', { skip }, () => {
  const receiver = new WebhookReceiver((n) => (n === 0 ? 503 : 200));
  let h: TestHerald | undefined;
  after(async () => {
    await h?.stop().catch(() => {});
    await receiver.close();
  });

  it('delivers every status change through Kafka after a refused first attempt, across a restart', async () => {
    const env = productionEnv(uniqueNamespace('cb'), {
      HERALD_WEBHOOK_KEY: Buffer.alloc(32, 7).toString('base64'),
    });
    h = await startTestHerald(env);
    await setCallbacks(h, LOOPBACK);
    const registered = await h.call('PUT', '/v1/webhooks', { url: await receiver.start() });
    assert.equal(registered.status, 200, JSON.stringify(registered.body));
    const secret: string = registered.body.secret;
    assert.equal(existsSync(join(env.HERALD_DATA_DIR!, 'webhooks.db')), false, 'kept in PostgreSQL');
    assert.equal(
      existsSync(join(env.HERALD_DATA_DIR!, 'webhook.key')),
      false,
      'the key came from the environment',
    );

    const first = await messageIdsOf(h, await sendSms(h, 100, 60_000));
    await waitForEvents(receiver, first, 'sent');
    await h.stop({ keepData: true });

    h = await startTestHerald(env, env.HERALD_DATA_DIR);
    const view = await waitFor(
      async () => (await h!.call('GET', '/v1/webhooks')).body,
      10_000,
      'the webhook',
    );
    assert.equal(view.state, 'active');
    const second = await messageIdsOf(h, await sendSms(h, 20, 60_200));
    await waitForEvents(receiver, second, 'sent');
    assert.equal(receiver.answered[0]?.status, 503);
    for (const callback of receiver.received) assert.ok(verifies(secret, callback), 'a valid signature');
  });
});
