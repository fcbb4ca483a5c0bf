import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SqliteScheduleStore } from '../../src/adapters/sqlite/sqlite-schedule-store.ts';
import { SqliteTransport } from '../../src/adapters/sqlite/sqlite-transport.ts';
import { decodeEnvelope } from '../../src/core/pipeline/envelope-codec.ts';
import { scheduleQueue } from '../../src/core/pipeline/schedule-queues.ts';
import { allTopics, sendTopic } from '../../src/core/pipeline/topics.ts';
import { type TempDirectory, tempDirectory } from '../adapters/sqlite/temp-directory.ts';
import { waitFor } from '../support/herald-harness.ts';
import { deferredAdRecords, kst } from '../support/night-ads.ts';
import { readTopic } from '../support/read-topic.ts';

const ADS = 20_000;
const NIGHT = scheduleQueue('ad', 'night-ad');
const CHILD = new URL('../support/retry-worker-process.ts', import.meta.url).pathname;

/**
 * The embedded default's crash promise for waiting ads: a retry worker SIGKILLed while it parks
 * 20,000 deferred ads, and again while it releases them at 08:00, loses none. Parking commits
 * offsets only after the park is durable (the restarted worker parks the rest), and a release
 * removes records only after their produce is acknowledged (a claim the killed worker held comes
 * back when its lease lapses). Each ad ends on its send topic at least once.
 */
describe('SIGKILL of the retry worker while it parks and while it releases (embedded default)', () => {
  let dir: TempDirectory;
  let transport: SqliteTransport;
  let schedule: SqliteScheduleStore;
  const children: ChildProcess[] = [];

  beforeEach(async () => {
    dir = tempDirectory();
    transport = new SqliteTransport({ path: dir.file('transport.db') });
    schedule = new SqliteScheduleStore({ path: dir.file('schedule.db') });
    await transport.ensureTopics(allTopics().map((name) => ({ name, partitions: 4 })));
  });
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    await Promise.all([transport.close(), schedule.close()]);
    dir.remove();
  });

  async function retryWorker(clockStart: number, nightAdsPerSecond: number): Promise<ChildProcess> {
    const args = [CHILD, dir.file(''), String(clockStart), String(nightAdsPerSecond)];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    const lines = createInterface({ input: child.stdout! });
    const [line] = (await Promise.race([once(lines, 'line'), once(child, 'exit')])) as [unknown];
    assert.equal(line, 'ready', 'the retry worker started');
    return child;
  }

  async function end(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
  }

  it('loses no deferred ad', async () => {
    const records = deferredAdRecords(ADS);
    for (let i = 0; i < ADS; i += 5_000) await transport.produce(records.slice(i, i + 5_000));

    let worker = await retryWorker(kst(15, 23), 500);
    await waitFor(async () => (await schedule.count(NIGHT)) >= ADS / 5, 60_000, 'a fifth parked');
    await end(worker, 'SIGKILL');
    const parkedAtKill = await schedule.count(NIGHT);
    worker = await retryWorker(kst(15, 23), 500);
    await waitFor(async () => (await schedule.count(NIGHT)) === ADS, 60_000, 'all parked after the restart');
    await end(worker, 'SIGTERM');

    // 08:00, at 2,000 a second: killed a few batches into the wave.
    worker = await retryWorker(kst(16, 8), 2_000);
    await waitFor(async () => (await schedule.count(NIGHT)) <= ADS - 2_000, 60_000, 'the wave started');
    await end(worker, 'SIGKILL');
    const waitingAtKill = await schedule.count(NIGHT);
    // Two minutes on: the lease of whatever the killed worker had claimed has lapsed.
    worker = await retryWorker(kst(16, 8, 2), 100_000);
    await waitFor(async () => (await schedule.count(NIGHT)) === 0, 60_000, 'all released');
    await end(worker, 'SIGTERM');

    const sent = await readTopic(transport, sendTopic('ad', 'lms'), ADS);
    const ids = new Set(sent.map((record) => decodeEnvelope(record.value)?.messageId));
    process.stdout.write(
      `# retry worker kill: ${parkedAtKill} of ${ADS} parked at the first kill, ${waitingAtKill} ` +
        `waiting at the second; ${sent.length} records released for ${ids.size} ads\n`,
    );
    assert.ok(parkedAtKill < ADS, 'the first kill came before every ad was parked');
    assert.equal(ids.size, ADS, 'every deferred ad reached its send topic');
    assert.ok(sent.length - ADS <= 500, 'repeats bounded by the one batch in flight at the kill');
  });
});
