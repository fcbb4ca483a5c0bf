import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { syncReport } from '../../../src/cli/commands/templates.ts';
import { runCli } from '../../support/child-processes.ts';

describe('herald templates', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'herald-templates-cli-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses to sync against in-process simulators, which this process could not reach', () => {
    const result = runCli(['templates', 'sync', '--dry-run'], { HERALD_DATA_DIR: dataDir });
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /HERALD_SIMULATORS=in-process/);
  });

  it('prints a JSON summary with --json (no progress bar: stderr is not a terminal)', () => {
    const result = runCli(['templates', 'sync', '--dry-run', '--json'], {
      HERALD_DATA_DIR: dataDir,
      HERALD_SIMULATORS: 'external',
      HERALD_SIMULATOR_URL: 'http://127.0.0.1:9',
    });
    assert.equal(result.status, 0, result.stderr);
    const summary = JSON.parse(result.stdout);
    assert.deepEqual(
      { ...summary, vendors: [] },
      { dryRun: true, vendors: [], compared: 0, differences: [], applied: 0, errors: [] },
    );
    assert.equal(result.stderr, '');
  });

  it('reports one line per difference, then the counts', () => {
    const report = syncReport({
      dryRun: true,
      vendors: ['nhn-alimtalk', 'sens-alimtalk'],
      compared: 4,
      differences: [
        {
          clientId: 'shop',
          code: 'ORDER',
          vendorId: 'nhn-alimtalk',
          kind: 'state-changed',
          detail: 'requested -> approved',
          applied: false,
        },
        {
          clientId: 'shop',
          code: 'WELCOME',
          vendorId: 'sens-alimtalk',
          kind: 'missing-at-vendor',
          detail: "not in the vendor's list",
          applied: false,
        },
      ],
      applied: 0,
      errors: [{ vendorId: 'sens-alimtalk', clientId: 'rider', message: 'SENS answered 500' }],
    });
    assert.equal(
      report,
      [
        'shop ORDER @ nhn-alimtalk: state-changed: requested -> approved',
        "shop WELCOME @ sens-alimtalk: missing-at-vendor: not in the vendor's list",
        'rider @ sens-alimtalk: list failed: SENS answered 500',
        '4 template(s) compared at nhn-alimtalk, sens-alimtalk: 2 difference(s), would apply 1 state change(s), 1 list(s) failed',
        '',
      ].join('\n'),
    );
  });
});
