import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SqliteDedupStore } from '../../src/adapters/sqlite/sqlite-dedup-store.ts';
import { SqliteTransport } from '../../src/adapters/sqlite/sqlite-transport.ts';
import { decodeEnvelope } from '../../src/core/pipeline/envelope-codec.ts';
import { sendTopic } from '../../src/core/pipeline/topics.ts';
import { startTestHerald, type TestHerald, waitFor, waitForRequest } from '../support/herald-harness.ts';
import { SMS_VENDORS } from '../support/sim-totals.ts';

const TOPIC = sendTopic('realtime', 'sms');

/**
 * A graceful shutdown while a vendor hangs: herald stops polling, gives the call the drain grace
 * (half of HERALD_SHUTDOWN_TIMEOUT_MS), then aborts it through the one signal every policy derives
 * from. The vendor sees the connection closed; the record is not committed and its dedup
 * reservation is released, so after a restart the message is redelivered and sent exactly once.
 */
describe('shutdown in the middle of a vendor call (embedded default)', () => {
  it('aborts the call after the grace, commits nothing past it, and sends it once after restart', async () => {
    let h: TestHerald = await startTestHerald({ HERALD_SHUTDOWN_TIMEOUT_MS: '1000' });
    const { dataDir } = h;
    try {
      // Only the shutdown can end the call: vendors hang and the time limit (25 s) is far away.
      const current = await h.call('GET', '/admin/config');
      const document = structuredClone(current.body.document);
      for (const id of Object.keys(document.vendors)) {
        document.vendors[id] = { ...document.vendors[id], timeoutMs: 25_000 };
      }
      const put = await h.call('PUT', '/admin/config', document);
      assert.equal(put.status, 200);
      await waitFor(async () => h.herald.config.version >= put.body.version, 2_000, 'config applied');
      const sim = h.herald.fleet.simulator!;
      for (const vendor of SMS_VENDORS) sim.setBehaviour(vendor, { hangShare: 1 });

      const accepted = await h.call('POST', '/v1/messages', {
        channel: 'sms',
        lane: 'realtime',
        content: { body: 'shutdown mid-send' },
        recipients: [{ to: '010-2468-1357' }],
      });
      assert.equal(accepted.status, 202);
      const { requestId } = accepted.body;
      const messageId: string = accepted.body.messages[0].messageId;
      const sending = await waitFor(
        async () => {
          const message = await h.call('GET', `/v1/messages/${messageId}`);
          return message.body.status === 'sending' ? message.body : undefined;
        },
        10_000,
        'the vendor call to start',
      );

      const stopped = h.stop({ keepData: true });
      await waitFor(
        async () => sim.hangUps(sending.vendor) === 1,
        10_000,
        'the vendor to see the call closed',
      );
      await stopped;

      const { committed, key } = await inspectLog(dataDir);
      assert.ok(
        committed.every((c) => c.offset === 0),
        `the record (offset 0) is not committed: ${JSON.stringify(committed)}`,
      );
      assert.equal(await reservationFree(dataDir, key), true, 'the dedup reservation was released');

      h = await startTestHerald({}, dataDir);
      const view = await waitForRequest(h, requestId, ['sent', 'failed', 'expired'], 15_000);
      assert.equal(view.messages[0].status, 'sent');
      const delivered = SMS_VENDORS.reduce((n, v) => n + h.herald.fleet.simulator!.countFor(v, messageId), 0);
      assert.equal(delivered, 1, 'sent once after the restart');
      const history = await h.call('GET', `/v1/messages/${messageId}`);
      const statuses = history.body.events.map((e: { status: string }) => e.status);
      assert.deepEqual(statuses, ['accepted', 'queued', 'sending', 'sending', 'sent']);
    } finally {
      await h.stop();
    }
  });
});

/** The realtime group's committed offsets on the sms topic, and the key of the record there. */
async function inspectLog(dataDir: string) {
  const transport = new SqliteTransport({ path: join(dataDir, 'transport.db') });
  try {
    const group = await transport.consumer({ group: 'herald-realtime', topics: [TOPIC] });
    const committed = (await group.committed()).filter((c) => c.topic === TOPIC);
    await group.close();
    const reader = await transport.consumer({ group: 'test-inspect', topics: [TOPIC] });
    const [record] = await reader.poll(10, 1_000);
    await reader.close();
    return { committed, key: decodeEnvelope(record!.value)!.key };
  } finally {
    await transport.close();
  }
}

/** Whether the message key can be reserved now (then releases it again). */
async function reservationFree(dataDir: string, key: string): Promise<boolean> {
  const dedup = new SqliteDedupStore({ path: join(dataDir, 'dedup.db') });
  try {
    const [verdict] = await dedup.reserve([key], 60_000);
    await dedup.release([key]);
    return verdict === 'reserved';
  } finally {
    await dedup.close();
  }
}
