import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type Child, spawnHerald } from '../support/child-processes.ts';
import { call, phoneNumbers, TEST_KEY, waitFor } from '../support/herald-harness.ts';
import { SMS_VENDORS, simulatorTotals } from '../support/sim-totals.ts';

const MESSAGES = 2_000;
const PER_REQUEST = 100;

/**
 * The crash promise of DESIGN.md: a worker killed with SIGKILL in the middle of 2,000 messages to a
 * 200 ms vendor, then restarted, loses nothing; a message reaches a vendor twice only if its call
 * was in flight at the kill, and never reaches a recipient twice where the vendor honours
 * idempotency keys. The simulator runs as its own process so its counts survive the kill.
 */
describe('SIGKILL mid-flood and restart (embedded default)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'herald-kill-'));
  const children: Child[] = [];
  after(async () => {
    await Promise.all(children.map((child) => child.kill('SIGKILL')));
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function startHerald(simUrl: string): Promise<Child> {
    const child = await spawnHerald(['start'], {
      HERALD_PORT: '0',
      HERALD_DATA_DIR: dataDir,
      HERALD_BOOTSTRAP_API_KEY: TEST_KEY,
      HERALD_SIMULATORS: 'external',
      HERALD_SIMULATOR_URL: simUrl,
      HERALD_LOG_LEVEL: 'info',
    });
    children.push(child);
    return child;
  }

  it('loses nothing and sends twice only what was in flight at the kill', async () => {
    // The simulator trusts the accounts herald signs with: both read them from the data dir.
    const sim = await spawnHerald(['sim', '--port', '0', '--latency-ms', '200', '--p99-ms', '400'], {
      HERALD_DATA_DIR: dataDir,
    });
    children.push(sim);
    let herald = await startHerald(sim.url);

    // A reservation of a killed worker lapses after reserveTtlMs; keep it short so the test is quick.
    const current = await call(herald.url, 'GET', '/admin/config');
    const document = {
      ...current.body.document,
      dedup: { ...current.body.document.dedup, reserveTtlMs: 3_000 },
    };
    // In flight = taken from the log and not finished; bounded by the lane's maxInFlight.
    document.lanes = {
      ...document.lanes,
      batch: { ...document.lanes.batch, sendConcurrency: 200, maxInFlight: 400 },
    };
    for (const id of Object.keys(document.vendors))
      document.vendors[id] = { ...document.vendors[id], timeoutMs: 2_000 };
    assert.equal((await call(herald.url, 'PUT', '/admin/config', document)).status, 200);

    const requestIds: string[] = [];
    const numbers = phoneNumbers(MESSAGES, 50_000);
    for (let i = 0; i < MESSAGES; i += PER_REQUEST) {
      const accepted = await call(herald.url, 'POST', '/v1/messages', {
        channel: 'sms',
        lane: 'batch',
        content: { body: 'kill drill' },
        recipients: numbers.slice(i, i + PER_REQUEST).map((to) => ({ to })),
      });
      assert.equal(accepted.status, 202);
      requestIds.push(accepted.body.requestId);
    }

    await waitFor(
      async () => (await simulatorTotals(sim.url, SMS_VENDORS)).received >= MESSAGES / 3,
      60_000,
      'a third delivered',
    );
    await herald.kill('SIGKILL');
    const atKill = await simulatorTotals(sim.url, SMS_VENDORS);
    herald = await startHerald(sim.url);

    const messageIds = new Set<string>();
    for (const requestId of requestIds) {
      const view = await waitFor(
        async () => {
          const response = await call(herald.url, 'GET', `/v1/requests/${requestId}`);
          // Sent, or already its receipt (the simulators report each SMS delivered or not).
          const done = response.body.messages.every((m: { status: string }) =>
            ['sent', 'delivered', 'undelivered'].includes(m.status),
          );
          return done ? response.body : undefined;
        },
        60_000,
        `request ${requestId} all sent`,
      );
      for (const message of view.messages) messageIds.add(message.messageId);
    }
    assert.equal(messageIds.size, MESSAGES, 'every accepted message ends sent');

    const end = await simulatorTotals(sim.url, SMS_VENDORS);
    const replays = end.idempotentReplays;
    const delivered = end.distinct;
    const crossVendor = delivered - MESSAGES;
    process.stdout.write(
      `# kill drill: ${atKill.received} delivered at the kill; afterwards ${replays} vendor-side ` +
        `replays, ${end.duplicates} recipient duplicates (NHN, SENS and SOLAPI take no SMS ` +
        `idempotency key: a call in flight at the kill is sent again), ${crossVendor} sent through a second vendor\n`,
    );
    assert.equal(crossVendor, 0, 'sticky routing kept each message on its vendor');
    assert.ok(delivered >= MESSAGES, 'the simulators received every message id');
    const again = end.duplicates + replays;
    assert.ok(
      again <= document.lanes.batch.maxInFlight,
      `${again} second deliveries bounded by the records in flight at the kill`,
    );
  });
});
