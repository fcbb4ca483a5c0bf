import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { secureDataDir } from '../../src/app/data-dir.ts';
import { phoneNumbers, startTestHerald, waitForRequest } from '../support/herald-harness.ts';
import { recordingLogger } from '../support/recording-logger.ts';

function mode(path: string): number {
  return statSync(path).mode & 0o7777;
}

describe('data directory at rest', () => {
  const parent = mkdtempSync(join(tmpdir(), 'herald-data-dir-'));
  after(() => rmSync(parent, { recursive: true, force: true }));

  it('herald start leaves the data directory 0700 and every file in it 0600', async () => {
    const dataDir = join(parent, 'embedded');
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o755);
    const h = await startTestHerald({}, dataDir);
    try {
      const accepted = await h.call('POST', '/v1/messages', {
        channel: 'sms',
        lane: 'realtime',
        content: { body: 'hello' },
        recipients: phoneNumbers(3).map((to) => ({ to })),
      });
      assert.equal(accepted.status, 202);
      await waitForRequest(h, accepted.body.requestId);
      assert.equal(mode(dataDir), 0o700, 'tightened from 0755');
      const files = readdirSync(dataDir);
      for (const store of ['transport', 'dedup', 'history', 'config']) {
        assert.ok(files.includes(`${store}.db-wal`), `${store}.db was written to (its -wal exists)`);
      }
      for (const file of files) {
        // The simulator's push credentials live in a folder of their own: 0700, their keys 0600.
        const isFolder = statSync(join(dataDir, file)).isDirectory();
        assert.equal(mode(join(dataDir, file)), isFolder ? 0o700 : 0o600, file);
        if (isFolder) {
          for (const key of readdirSync(join(dataDir, file)))
            assert.equal(mode(join(dataDir, file, key)), 0o600);
        }
      }
    } finally {
      await h.stop({ keepData: true });
    }
  });

  it('says when it tightened the directory, and when it could not', () => {
    const own = join(parent, 'own');
    mkdirSync(own);
    chmodSync(own, 0o750);
    const { logger, records } = recordingLogger();
    secureDataDir(own, logger);
    assert.equal(records.length, 1);
    assert.match(records[0]!.msg, /tightened to owner-only/);
    assert.equal(records[0]!.from, '0750');

    secureDataDir(own, logger);
    assert.equal(records.length, 1, 'nothing to say about a private directory');

    const shared = join(parent, 'shared');
    mkdirSync(join(shared, 'photos'), { recursive: true });
    chmodSync(shared, 0o755);
    secureDataDir(shared, logger);
    assert.equal(records.length, 2);
    assert.match(records[1]!.msg, /left as is/);
    assert.equal(mode(shared), 0o755);
  });
});
