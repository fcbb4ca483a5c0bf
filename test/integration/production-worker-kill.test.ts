import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type Child, spawnHerald } from '../support/child-processes.ts';
import { productionEnginesSkip } from '../support/engines.ts';
import { call, phoneNumbers, TEST_KEY, waitFor } from '../support/herald-harness.ts';
import { productionEnv, uniqueNamespace } from '../support/production-env.ts';
import { SMS_VENDORS, simulatorTotals } from '../support/sim-totals.ts';

const MESSAGES = 2_000;
const PER_REQUEST = 100;

const skip = await productionEnginesSkip();

/**
 * Production shape: an API process, two worker processes of the batch lane in one consumer group,
 * a retry worker, all on Kafka, Redis and PostgreSQL; one worker is SIGKILLed mid-flood. Every
 * message must end sent; a message may reach a vendor twice only if it was in flight at the kill,
 * and never a recipient twice (the simulator honours idempotency keys, routing is sticky).
 */
describe('two workers in one group on Kafka/Redis/PostgreSQL, one SIGKILLed mid-flood', { skip }, () => {
  const children: Child[] = [];
  after(() => Promise.all(children.map((child) => child.kill('SIGKILL'))));

  async function start(args: string[], env: Record<string, string>): Promise<Child> {
    const child = await spawnHerald(args, env, 60_000);
    children.push(child);
    return child;
  }

  it('loses nothing; duplicates reach a vendor only for calls in flight at the kill', async () => {
    const namespace = uniqueNamespace('kill');
    // The simulator trusts the accounts herald signs with: both read them from one directory.
    const credentialsDir = mkdtempSync(join(tmpdir(), 'herald-kill-credentials-'));
    const shared = { HERALD_SIMULATOR_CREDENTIALS_DIR: credentialsDir };
    const sim = await start(['sim', '--port', '0', '--latency-ms', '200', '--p99-ms', '400'], shared);
    const env = (overrides: Record<string, string> = {}) =>
      productionEnv(namespace, {
        HERALD_BOOTSTRAP_API_KEY: TEST_KEY,
        HERALD_SIMULATORS: 'external',
        HERALD_SIMULATOR_URL: sim.url,
        HERALD_PORT: '0',
        ...shared,
        ...overrides,
      });
    const api = await start(['api'], env());

    const current = await call(api.url, 'GET', '/admin/config');
    const document = structuredClone(current.body.document);
    document.dedup.reserveTtlMs = 8_000;
    document.lanes.batch = { ...document.lanes.batch, sendConcurrency: 100, maxInFlight: 300 };
    assert.equal((await call(api.url, 'PUT', '/admin/config', document)).status, 200);

    const victim = await start(['worker', '--lane', 'batch'], env());
    await start(['worker', '--lane', 'batch'], env());
    await start(['retry-worker'], env());
    await start(['history-writer'], env());

    const requestIds: string[] = [];
    const numbers = phoneNumbers(MESSAGES, 80_000);
    for (let i = 0; i < MESSAGES; i += PER_REQUEST) {
      const accepted = await call(api.url, 'POST', '/v1/messages', {
        channel: 'sms',
        lane: 'batch',
        content: { body: 'production kill drill' },
        recipients: numbers.slice(i, i + PER_REQUEST).map((to) => ({ to })),
      });
      assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
      requestIds.push(accepted.body.requestId);
    }

    await waitFor(
      async () => (await simulatorTotals(sim.url, SMS_VENDORS)).received >= MESSAGES / 3,
      120_000,
      'a third sent',
    );
    await victim.kill('SIGKILL');
    const atKill = (await simulatorTotals(sim.url, SMS_VENDORS)).received;

    // Sent, or already its receipt: the simulators report each SMS delivered or not after sent.
    const VENDOR_ACCEPTED = new Set(['sent', 'delivered', 'undelivered']);
    let retried = 0;
    for (const requestId of requestIds) {
      await waitFor(
        async () => {
          const view = await call(api.url, 'GET', `/v1/requests/${requestId}`);
          const done =
            view.status === 200 &&
            view.body.messages.every((m: { status: string }) => VENDOR_ACCEPTED.has(m.status));
          if (done) retried += view.body.messages.filter((m: { attempts: number }) => m.attempts > 1).length;
          return done;
        },
        180_000,
        `request ${requestId} all sent`,
      );
    }

    const end = await simulatorTotals(sim.url, SMS_VENDORS);
    const replays = end.idempotentReplays;
    const crossVendor = end.distinct - MESSAGES;
    process.stdout.write(
      `# production kill: ${atKill} delivered at the kill; ${replays} vendor-side replays of calls in flight, ` +
        `${end.duplicates} recipient duplicates (no SMS idempotency key at NHN, SENS, SOLAPI), ` +
        `${crossVendor} through a second vendor\n`,
    );
    // A call that timed out may still have reached its vendor; its retry goes to another vendor
    // (failover), so only messages that needed a retry may show up at a second vendor.
    assert.ok(crossVendor <= retried, `${crossVendor} at a second vendor, ${retried} retried`);
    assert.ok(
      replays + end.duplicates <= document.lanes.batch.maxInFlight,
      `${replays + end.duplicates} second deliveries bounded by the victim's in-flight`,
    );
  });
});
