import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { hashApiKey } from '../../../src/core/auth/api-keys.ts';
import { runCli } from '../../support/child-processes.ts';

describe('herald keys list', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'herald-keys-'));
  const env = { HERALD_DATA_DIR: dataDir };
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('shows id, client, role, name, created and revoked of every key, never a key or its hash', () => {
    assert.match(runCli(['keys', 'list'], env).stdout, /no API keys yet/);
    const created = [
      runCli(['keys', 'create', '--client', 'shop', '--name', 'checkout'], env),
      runCli(['keys', 'create', '--client', 'ops', '--admin'], env),
    ].map((result) => JSON.parse(result.stdout) as { keyId: string; key: string });
    assert.equal(runCli(['keys', 'revoke', created[0]!.keyId], env).status, 0);

    const table = runCli(['keys', 'list'], env);
    assert.equal(table.status, 0, table.stderr);
    const lines = table.stdout.trim().split('\n');
    assert.match(lines[0]!, /^id\s+client\s+role\s+name\s+created\s+revoked$/);
    assert.match(
      lines[1]!,
      new RegExp(`^${created[0]!.keyId}\\s+shop\\s+client\\s+checkout\\s+\\d{4}-\\S+Z\\s+\\d{4}-\\S+Z$`),
    );
    assert.match(lines[2]!, new RegExp(`^${created[1]!.keyId}\\s+ops\\s+admin\\s+cli\\s+\\d{4}-\\S+Z\\s+-$`));

    const json = runCli(['keys', 'list', '--json'], env);
    const records = JSON.parse(json.stdout) as Record<string, unknown>[];
    assert.deepEqual(
      records.map((record) => record.keyId),
      created.map((record) => record.keyId),
    );
    for (const { key } of created) {
      for (const output of [table.stdout, json.stdout]) {
        assert.ok(!output.includes(key), 'the key is shown');
        assert.ok(!output.includes(hashApiKey(key)), 'the hash is shown');
      }
    }
  });
});
