import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type Child, spawnHerald } from '../support/child-processes.ts';
import { call } from '../support/herald-harness.ts';

const KEY_A = 'first-bootstrap-key-0123456789abcdef';
const KEY_B = 'second-bootstrap-key-0123456789abcdef';

/** `herald start` on the embedded default, on its own data dir; no bootstrap key unless given. */
function startEmbedded(dataDir: string, env: Record<string, string> = {}): Promise<Child> {
  return spawnHerald(['start'], {
    HERALD_PORT: '0',
    HERALD_DATA_DIR: dataDir,
    HERALD_SIMULATOR_LATENCY_MS: '1',
    HERALD_BOOTSTRAP_API_KEY: '',
    HERALD_RECIPIENT_HASH_SECRET: '',
    HERALD_LOG_LEVEL: 'trace',
    ...env,
  });
}

async function sendWith(herald: Child, key: string): Promise<number> {
  const body = {
    channel: 'sms',
    lane: 'realtime',
    content: { body: 'hi' },
    recipients: [{ to: '01012345678' }],
  };
  return (await call(herald.url, 'POST', '/v1/messages', body, { authorization: `Bearer ${key}` })).status;
}

describe('API access across restarts (herald start, embedded default)', () => {
  const parent = mkdtempSync(join(tmpdir(), 'herald-access-'));
  const children: Child[] = [];
  after(async () => {
    await Promise.all(children.map((child) => child.kill('SIGKILL')));
    rmSync(parent, { recursive: true, force: true });
  });
  const start = async (dataDir: string, env: Record<string, string> = {}) => {
    const child = await startEmbedded(dataDir, env);
    children.push(child);
    return child;
  };

  it('a changed HERALD_BOOTSTRAP_API_KEY replaces the old key at restart', async () => {
    const dataDir = join(parent, 'rotation');
    const first = await start(dataDir, { HERALD_BOOTSTRAP_API_KEY: KEY_A });
    assert.equal(await sendWith(first, KEY_A), 202);
    await first.kill('SIGTERM');

    const second = await start(dataDir, { HERALD_BOOTSTRAP_API_KEY: KEY_B });
    assert.equal(await sendWith(second, KEY_B), 202);
    assert.equal(await sendWith(second, KEY_A), 401, 'the old key stopped working');
    const output = second.output.join('\n');
    assert.match(output, /the new key replaces the previous bootstrap key/);
    assert.ok(!output.includes(KEY_A) && !output.includes(KEY_B), 'neither key is logged');
  });

  it('without a bootstrap key: a dev key shown once at the first start, and only mentioned after', async () => {
    const dataDir = join(parent, 'dev-key');
    const first = await start(dataDir);
    const key = /Bearer (hk_[A-Za-z0-9_-]{43})/.exec(first.output.join('\n'))?.[1];
    assert.ok(key, `a dev key was shown:\n${first.output.join('\n')}`);
    assert.equal(await sendWith(first, key), 202);
    assert.equal(await sendWith(first, key), 202);
    const showing = first.output.filter((line) => line.includes(key));
    assert.ok(showing.length > 0 && showing.every((line) => !line.startsWith('{')), 'never in a log record');
    const secretWarnings = first.output.filter((line) =>
      line.includes('HERALD_RECIPIENT_HASH_SECRET is not set'),
    );
    assert.equal(
      secretWarnings.length,
      1,
      'the development hash secret is warned about once, not per request',
    );
    await first.kill('SIGTERM');

    const second = await start(dataDir);
    assert.equal(await sendWith(second, key), 202, 'the dev key keeps working');
    const output = second.output.join('\n');
    assert.ok(!output.includes(key), 'never shown again');
    assert.match(output, /the dev API key exists.*keys create --client dev --admin/);
  });
});
