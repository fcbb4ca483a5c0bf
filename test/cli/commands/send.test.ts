import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Child, runCli, spawnHerald } from '../../support/child-processes.ts';
import { call, TEST_KEY, waitFor } from '../../support/herald-harness.ts';
import { makeJpeg } from '../../support/jpeg-fixture.ts';

/** `herald send` against a running herald (its own process, as a user runs it). */
describe('herald send', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'herald-send-'));
  let herald: Child;
  let env: Record<string, string>;
  before(async () => {
    herald = await spawnHerald(['start'], {
      HERALD_PORT: '0',
      HERALD_DATA_DIR: dataDir,
      HERALD_BOOTSTRAP_API_KEY: TEST_KEY,
      HERALD_SIMULATOR_LATENCY_MS: '1',
    });
    // What the README tells a newcomer to set: where herald is, and the key.
    env = { HERALD_URL: herald.url, HERALD_API_KEY: TEST_KEY, HERALD_BOOTSTRAP_API_KEY: '' };
  });
  after(async () => {
    await herald.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('--wait exits 0 once every message is sent', () => {
    const result = runCli(['send', '--to', '01012345678', '--body', 'hi', '--wait'], env);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^202 /);
    assert.match(result.stdout, /"status": "sent"/);
  });

  it('--image sends a JPEG file as an mms, and names the limit a 400 KB one breaks', () => {
    const small = join(dataDir, 'coupon.jpg');
    writeFileSync(small, makeJpeg({ width: 800, height: 600, bytes: 250 * 1024 }));
    const sent = runCli(
      [
        'send',
        '--channel',
        'mms',
        '--to',
        '01012345678',
        '--subject',
        'coupon',
        '--body',
        'hi',
        '--image',
        small,
        '--wait',
      ],
      env,
    );
    assert.equal(sent.status, 0, sent.stderr);
    assert.match(sent.stdout, /"channel": "mms"/);
    assert.match(sent.stdout, /"status": "sent"/);
    const large = join(dataDir, 'poster.jpg');
    writeFileSync(large, makeJpeg({ width: 800, height: 600, bytes: 400 * 1024 }));
    const refused = runCli(
      ['send', '--channel', 'mms', '--to', '01012345678', '--body', 'hi', '--image', large],
      env,
    );
    assert.equal(refused.status, 1);
    assert.match(
      refused.stderr,
      /HERALD_IMAGE_INVALID content\.images\[0\] is 400 KB; an MMS image may be at most 300 KB/,
    );
  });

  it('--from sends from a registered number; an unregistered one is refused with its code', () => {
    const sent = runCli(['send', '--to', '01012345678', '--body', 'hi', '--from', '02-1234-5678'], env);
    assert.equal(sent.status, 0, sent.stderr);
    const refused = runCli(['send', '--to', '01012345678', '--body', 'hi', '--from', '1588-0000'], env);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /HERALD_SENDER_NOT_REGISTERED/);
  });

  it('exits 1 and names each refused recipient', () => {
    const result = runCli(['send', '--to', 'not-a-number', '--to', '01012345678', '--body', 'hi'], env);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /^herald send: recipient 0 refused: HERALD_INVALID_PHONE /m);
  });

  it('--wait exits 1 and names each message that failed or expired', async () => {
    // Every sms vendor switched off: the message cannot be sent and expires.
    const config = await call(herald.url, 'GET', '/admin/config');
    const routing = { ...config.body.document.routing, sms: [{ vendor: 'nhn-sms', weight: 0 }] };
    const put = await call(herald.url, 'PUT', '/admin/config', { ...config.body.document, routing });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const applied = `"version":${put.body.version},"msg":"remote config applied"`;
    await waitFor(async () => herald.output.some((line) => line.includes(applied)), 10_000, 'config applied');

    const args = ['send', '--to', '01099998888', '--body', 'never sent', '--expires-in', '1', '--wait'];
    const result = runCli(args, env);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /^herald send: message 0 \(\S+\) expired: HERALD_EXPIRED /m);
  });
});
