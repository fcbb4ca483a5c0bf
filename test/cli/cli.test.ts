import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type Child, runCli, spawnHerald } from '../support/child-processes.ts';
import { call, phoneNumbers, TEST_KEY, waitFor } from '../support/herald-harness.ts';
import { simulatorTotals } from '../support/sim-totals.ts';

describe('herald CLI', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'herald-cli-'));
  const children: Child[] = [];
  after(async () => {
    await Promise.all(children.map((child) => child.kill('SIGKILL')));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses to start on an invalid variable, naming it and what is allowed', () => {
    const result = runCli(['start'], { HERALD_PORT: 'eighty', HERALD_DATA_DIR: dataDir });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /HERALD_PORT must be an integer from 0 to 65535, got "eighty"/);
  });

  it('creates an API key that a running herald accepts, and prints it once', async () => {
    const created = runCli(['keys', 'create', '--client', 'shop', '--name', 'checkout'], {
      HERALD_DATA_DIR: dataDir,
    });
    assert.equal(created.status, 0, created.stderr);
    const record = JSON.parse(created.stdout) as { key: string; clientId: string; role: string };
    assert.equal(record.clientId, 'shop');
    assert.equal(record.role, 'client');
    assert.match(record.key, /^hk_/);

    const herald = await spawnHerald(['start'], {
      HERALD_PORT: '0',
      HERALD_DATA_DIR: dataDir,
      HERALD_BOOTSTRAP_API_KEY: TEST_KEY,
    });
    children.push(herald);
    // A client sends from a sender number an admin registered for it (docs/senders.md).
    const registered = await call(herald.url, 'PUT', '/v1/sender-numbers', {
      clientId: 'shop',
      numbers: [{ number: '02-1234-5678' }],
    });
    assert.equal(registered.status, 200);
    const headers = { authorization: `Bearer ${record.key}` };
    const accepted = await call(herald.url, 'POST', '/v1/messages', sms(['01012340000']), headers);
    assert.equal(accepted.status, 202);
    const refused = await call(herald.url, 'POST', '/v1/messages', sms(['01012340000']), {
      authorization: 'Bearer hk_not-a-key',
    });
    assert.equal(refused.status, 401);
    assert.equal((await call(herald.url, 'GET', '/admin/config', undefined, headers)).status, 403);
    await herald.kill('SIGTERM');
  });

  it('drains in-flight sends on SIGTERM: exits 0, and a restart re-sends nothing', async () => {
    // The simulator trusts the accounts herald signs with: both read them from the data dir.
    const sim = await spawnHerald(['sim', '--port', '0', '--latency-ms', '300'], {
      HERALD_DATA_DIR: dataDir,
    });
    children.push(sim);
    const env = {
      HERALD_PORT: '0',
      HERALD_DATA_DIR: dataDir,
      HERALD_BOOTSTRAP_API_KEY: TEST_KEY,
      HERALD_SIMULATORS: 'external',
      HERALD_SIMULATOR_URL: sim.url,
    };
    let herald = await spawnHerald(['start'], env);
    children.push(herald);
    const accepted = await call(herald.url, 'POST', '/v1/messages', sms(phoneNumbers(100, 70_000)));
    assert.equal(accepted.status, 202);
    await waitFor(async () => (await simulatorTotals(sim.url)).received > 0, 30_000, 'first deliveries');
    const exited = new Promise<number | null>((resolve) => herald.process.once('exit', resolve));
    herald.process.kill('SIGTERM');
    assert.equal(await exited, 0);

    herald = await spawnHerald(['start'], env);
    children.push(herald);
    await waitFor(
      async () => {
        const view = await call(herald.url, 'GET', `/v1/requests/${accepted.body.requestId}`);
        return view.body.messages.every((m: { status: string }) => m.status === 'sent');
      },
      60_000,
      'all sent after restart',
    );
    const totals = await simulatorTotals(sim.url);
    assert.equal(totals.distinct, 100);
    assert.equal(totals.idempotentReplays, 0, 'a graceful stop leaves nothing in flight to replay');
    assert.equal(totals.duplicates, 0);
  });
});

function sms(recipients: string[]) {
  return {
    channel: 'sms',
    lane: 'realtime',
    content: { body: 'cli test' },
    recipients: recipients.map((to) => ({ to })),
  };
}
