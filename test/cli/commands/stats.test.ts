import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SqliteHistoryStore } from '../../../src/adapters/sqlite/sqlite-history-store.ts';
import { STATS_DATASET, seedHistory } from '../../contracts/history-stats-dataset.ts';
import { runCli } from '../../support/child-processes.ts';

describe('herald stats', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'herald-stats-cli-'));
  const range = ['--from', '2026-06-10T09:00:00+09:00', '--to', '2026-06-10T10:00:00+09:00'];
  before(async () => {
    const history = new SqliteHistoryStore({ path: join(dataDir, 'history.db') });
    await seedHistory(history, Date.UTC(2026, 5, 10, 0), STATS_DATASET);
    await history.close();
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints the JSON answer of GET /admin/stats from the installation history', () => {
    const result = runCli(['stats', ...range, '--channel', 'sms', '--by', 'carrier', '--json'], {
      HERALD_DATA_DIR: dataDir,
    });
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.by, 'carrier');
    assert.deepEqual(
      report.groups.map((g: { key: string; total: number }) => [g.key, g.total]),
      [
        ['unknown', 7],
        ['SKT', 3],
        ['KT', 2],
        ['LGU+', 1],
      ],
    );
    assert.equal(report.totals.total, 13);
  });

  it('prints a table: one line per group, then the totals', () => {
    const result = runCli(['stats', ...range, '--channel', 'sms'], { HERALD_DATA_DIR: dataDir });
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^2026-06-10T00:00:00\.000Z \.\. 2026-06-10T01:00:00\.000Z, sms$/);
    assert.match(lines[1]!, /^vendor\s+total\s+sent/);
    assert.match(
      lines[2]!,
      /^nhn\s+6\s+0\s+3\s+3\s+0\s+0\s+0\s+50\.0%\s+350\/795\s+2000\/2980\s+3015:2 HERALD_KAKAO_UNDELIVERED:1$/,
    );
    assert.match(lines.at(-1)!, /^\(total\)\s+13\s/);
  });

  it('refuses a period it cannot read with the API code and exit code 2', () => {
    const result = runCli(['stats', '--from', '2026-06-10T09:00:00', '--to', '2026-06-10T10:00:00Z'], {
      HERALD_DATA_DIR: dataDir,
    });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /from is not an ISO-8601 time with a zone.*\(HERALD_STATS_RANGE_INVALID\)/);
  });
});
