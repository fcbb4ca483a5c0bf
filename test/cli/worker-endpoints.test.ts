import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type Child, spawnHerald } from '../support/child-processes.ts';
import { waitFor } from '../support/herald-harness.ts';

/**
 * A split deployment is observable process by process: `herald worker`, `herald retry-worker`
 * and `herald history-writer` run no API, and each serves /health and /metrics on HERALD_METRICS_PORT (0 here: any free port,
 * read back from the start-up log), reporting its own components.
 */
describe('/health and /metrics of the worker processes (embedded default)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'herald-worker-endpoints-'));
  const children: Child[] = [];
  after(async () => {
    await Promise.all(children.map((child) => child.kill('SIGTERM')));
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(args: string[]): Promise<Child> {
    const child = await spawnHerald(args, {
      HERALD_DATA_DIR: dataDir,
      HERALD_METRICS_PORT: '0',
      HERALD_LOG_LEVEL: 'info',
    });
    children.push(child);
    return child;
  }

  /** /health once every consumer has polled (a worker reports `not polling yet` before that). */
  const healthOnceReady = (url: string) =>
    waitFor(
      async () => {
        const response = await fetch(`${url}/health`);
        return response.status === 200 ? ((await response.json()) as Health) : undefined;
      },
      20_000,
      `${url}/health to answer 200`,
    );

  it('herald worker reports its transport, stores, dedup, lane and checks consumers, and its metrics', async () => {
    const worker = await start(['worker', '--lane', 'realtime']);
    const health = await healthOnceReady(worker.url);
    assert.equal(health.status, 'ok');
    assert.deepEqual(Object.keys(health.components).sort(), [
      'checks:realtime',
      'config',
      'dedup',
      'devices',
      'history',
      'lane:realtime',
      'media',
      'transport',
    ]);
    assert.match(health.components['lane:realtime']!.detail!, /^0 in flight$/);
    assert.equal(health.components['checks:realtime']!.detail, '0 waiting');

    const metrics = await fetch(`${worker.url}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await metrics.text();
    for (const name of [
      'herald_worker_handler_failures_total',
      'herald_lane_in_flight',
      'herald_messages_total',
    ]) {
      assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'), `${name} is exposed`);
    }
    assert.equal((await fetch(`${worker.url}/v1/messages`)).status, 404, 'no API in a worker process');
  });

  it('herald retry-worker reports its retry, receipts and callbacks consumers and the schedule store', async () => {
    const retryWorker = await start(['retry-worker', '--lane', 'batch']);
    const health = await healthOnceReady(retryWorker.url);
    assert.deepEqual(Object.keys(health.components).sort(), [
      'callbacks',
      'config',
      'history',
      'receipts',
      'retry:batch',
      'schedule',
      'senders',
      'transport',
    ]);
    assert.equal(health.components['retry:batch']?.detail, '0 waiting');
    assert.equal(health.components.receipts?.ok, true);
    assert.equal(health.components.callbacks?.ok, true);
    assert.equal((await fetch(`${retryWorker.url}/metrics`)).status, 200);
  });

  it('herald history-writer reports its consumer with how far history is behind, and the lag metric', async () => {
    const writer = await start(['history-writer']);
    const health = await healthOnceReady(writer.url);
    assert.deepEqual(Object.keys(health.components).sort(), [
      'config',
      'history',
      'history-writer',
      'transport',
    ]);
    assert.match(health.components['history-writer']!.detail!, /^\d+ waiting, \d+\.\d s behind$/);
    const text = await (await fetch(`${writer.url}/metrics`)).text();
    assert.match(text, /^herald_history_lag_seconds \d/m);
    assert.equal((await fetch(`${writer.url}/v1/messages`)).status, 404, 'no API in a history writer');
  });
});

interface Health {
  readonly status: string;
  readonly components: Record<string, { ok: boolean; detail?: string }>;
}
