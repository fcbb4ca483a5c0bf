import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import { runSimulatorProcess } from '../../../src/simulators/main.ts';
import { ensureSimulatorCredentials } from '../../../src/simulators/push-credentials/push-credentials.ts';

/**
 * The push keys, an account per Korean text vendor (src/simulators/text/text-credentials.ts), and
 * SES' access key and its SNS signing key and certificate (src/simulators/ses/).
 */
const SIMULATOR_CREDENTIAL_FILES = [
  'apns-b.p8',
  'apns.p8',
  'fcm-b.json',
  'fcm.json',
  'nhn-alimtalk.json',
  'nhn-sms.json',
  'sens-alimtalk.json',
  'sens-sms.json',
  'ses-sns.json',
  'ses.json',
  'smtp.json',
  'solapi-alimtalk.json',
  'solapi-sms.json',
  'solapi-vms.json',
];

const root = mkdtempSync(join(tmpdir(), 'herald-sim-process-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('herald sim --credentials-dir', () => {
  it('generates the push credentials there, or uses the ones herald generated first', async () => {
    const dir = join(root, 'credentials');
    const herald = await ensureSimulatorCredentials(dir);
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
    });
    const sim = await runSimulatorProcess(['--port', '0', '--credentials-dir', dir], output);
    try {
      assert.match(printed, new RegExp(`push credentials in ${dir}`));
      assert.deepEqual(readdirSync(dir).sort(), SIMULATOR_CREDENTIAL_FILES);
      const again = await ensureSimulatorCredentials(dir);
      assert.equal(again.fcm.fcm!.account.private_key, herald.fcm.fcm!.account.private_key);
    } finally {
      await sim.close();
    }
  });
});
