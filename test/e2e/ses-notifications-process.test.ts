import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Child, spawnHerald } from '../support/child-processes.ts';
import { call, TEST_KEY, waitFor, waitForRequest } from '../support/herald-harness.ts';

const MESSAGES = 10;

/** A port free now, for a herald whose address `herald sim` must know before herald starts. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * SES receipts with the simulators in a process of their own (`HERALD_SIMULATORS=external`): the
 * operator gives `herald sim --ses-notification-url` herald's /ses/notifications, and herald,
 * sharing the credentials directory, trusts the simulated SNS' certificate without fetching it.
 */
describe('SES notifications from a herald sim process', () => {
  const root = mkdtempSync(join(tmpdir(), 'herald-ses-process-'));
  const credentials = join(root, 'sim-credentials');
  const children: Child[] = [];
  let herald: Child;

  before(async () => {
    const port = await freePort();
    const sim = await spawnHerald([
      'sim',
      '--port',
      '0',
      '--latency-ms',
      '1',
      '--credentials-dir',
      credentials,
      '--undelivered-share',
      '0.3',
      '--ses-notification-url',
      `http://127.0.0.1:${port}/ses/notifications`,
    ]);
    children.push(sim);
    herald = await spawnHerald(['start'], {
      HERALD_PORT: String(port),
      HERALD_DATA_DIR: join(root, 'herald'),
      HERALD_BOOTSTRAP_API_KEY: TEST_KEY,
      HERALD_SIMULATORS: 'external',
      HERALD_SIMULATOR_URL: sim.url,
      HERALD_SIMULATOR_CREDENTIALS_DIR: credentials,
    });
    children.push(herald);
    const current = await call(herald.url, 'GET', '/admin/config');
    const document = structuredClone(current.body.document);
    document.routing.email = [
      { vendor: 'smtp', weight: 0 },
      { vendor: 'ses', weight: 100 },
    ];
    const put = await call(herald.url, 'PUT', '/admin/config', document);
    assert.equal(put.status, 200, JSON.stringify(put.body));
    await waitFor(
      async () => (await call(herald.url, 'GET', '/admin/config')).body.version === put.body.version,
      10_000,
      'config stored',
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // every worker applies it within a second
  });
  after(async () => {
    await Promise.all(children.map((child) => child.kill()));
    rmSync(root, { recursive: true, force: true });
  });

  it('every e-mail through ses ends delivered or undelivered', async () => {
    const accepted = await call(herald.url, 'POST', '/v1/messages', {
      channel: 'email',
      lane: 'realtime',
      content: { subject: 'Receipt', body: 'Thank you.' },
      recipients: Array.from({ length: MESSAGES }, (_, i) => ({ to: `buyer${i}@example.com` })),
    });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    const view = await waitForRequest(
      { call: (method, path, body) => call(herald.url, method, path, body) },
      accepted.body.requestId,
      ['delivered', 'undelivered'],
      60_000,
    );
    const messages = view.messages as { status: string; vendor: string }[];
    assert.equal(messages.length, MESSAGES);
    assert.ok(messages.every((m) => m.vendor === 'ses'));
  });
});
