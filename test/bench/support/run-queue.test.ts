import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { schedulingMeter, schedulingOf, servicePids } from '../../../bench/support/run-queue.ts';
import { burnCpu } from '../../support/burn-cpu.ts';

/** Child processes that each spin for `ms` on one core. */
async function spinners(count: number, ms: number): Promise<void> {
  const code = `const end = Date.now() + ${ms}; while (Date.now() < end) Math.sqrt(Math.random());`;
  const children = Array.from({ length: count }, () => spawn(process.execPath, ['-e', code]));
  await Promise.all(children.map((child) => once(child, 'exit')));
}

describe('CPU time and run-queue wait from /proc/<pid>/task/*/schedstat', {
  skip: process.platform !== 'linux',
}, () => {
  it("counts this process's time on a CPU", () => {
    const before = schedulingOf({ pids: [process.pid] });
    burnCpu(0.2);
    const after = schedulingOf({ pids: [process.pid] });
    assert.ok(after.onCpuSeconds - before.onCpuSeconds >= 0.18, JSON.stringify({ before, after }));
  });

  it('a process that is gone counts nothing (not a throw in the middle of a bench)', () => {
    assert.deepEqual(schedulingOf({ pids: [2 ** 31 - 1] }), { onCpuSeconds: 0, runQueueSeconds: 0 });
  });

  it('selects threads by name: a named worker thread apart from the main thread', async () => {
    const worker = new Worker(
      'const end = Date.now() + 1500; while (Date.now() < end) Math.sqrt(Math.random());',
      { eval: true, name: 'spinner' },
    );
    const spinner = { pids: [process.pid], threads: (name: string) => name === 'spinner' };
    const main = { pids: [process.pid], threads: (name: string) => name === 'MainThread' };
    const meter = schedulingMeter(() => ({ spinner, main }));
    await setTimeout(600); // the main thread waits; the worker spins
    const shares = meter.read(); // read while the worker still runs: a thread gone counts nothing
    await once(worker, 'exit');
    assert.ok(shares.spinner!.cores > 0.3, JSON.stringify(shares));
    assert.ok(shares.main!.cores < shares.spinner!.cores, JSON.stringify(shares));
  });

  it('counts a process that began after the start from its own start (a new backend, say)', async () => {
    const pids: number[] = [];
    const meter = schedulingMeter(() => ({ late: { pids: [...pids] } }));
    const code = 'const end = Date.now() + 1500; while (Date.now() < end) Math.sqrt(Math.random());';
    const child = spawn(process.execPath, ['-e', code]);
    pids.push(child.pid!);
    await setTimeout(800);
    const shares = meter.read(); // while it still runs
    child.kill('SIGKILL');
    assert.ok(shares.late!.cores > 0.2, JSON.stringify(shares));
  });

  it('more runnable threads than cores: the run-queue wait shows it', async () => {
    const busy = [process.pid];
    const before = schedulingOf({ pids: busy });
    // Spinners on every core and more: this thread, spinning too, has to take turns.
    const cores = availableParallelism();
    const spinning = spinners(cores * 2, 600);
    burnCpu(0.3);
    await spinning;
    const after = schedulingOf({ pids: busy });
    assert.ok(after.runQueueSeconds > before.runQueueSeconds, JSON.stringify({ before, after }));
  });

  it('finds the shared services by their process names, Kafka by its JVM command line', async () => {
    // Stand-ins with the names the services run under: comm is the executable's file name.
    const dir = mkdtempSync(join(tmpdir(), 'run-queue-'));
    copyFileSync('/bin/sleep', join(dir, 'redis-server'));
    copyFileSync('/bin/sh', join(dir, 'java'));
    const redis = spawn(join(dir, 'redis-server'), ['5']);
    const kafka = spawn(join(dir, 'java'), ['-c', 'sleep 5', 'kafka.Kafka']);
    const otherJava = spawn(join(dir, 'java'), ['-c', 'sleep 5', 'org.example.Main']);
    try {
      await setTimeout(200);
      const found = servicePids();
      assert.ok(found.redis?.pids.includes(redis.pid!), JSON.stringify(found));
      assert.ok(found.kafka?.pids.includes(kafka.pid!), JSON.stringify(found));
      assert.ok(!found.kafka?.pids.includes(otherJava.pid!), JSON.stringify(found));
    } finally {
      for (const child of [redis, kafka, otherJava]) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
