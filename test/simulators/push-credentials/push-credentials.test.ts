import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ensureSimulatorCredentials } from '../../../src/simulators/push-credentials/push-credentials.ts';
import { simulatorPushTrust } from '../../../src/simulators/push-credentials/push-trust.ts';

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

const root = mkdtempSync(join(tmpdir(), 'herald-sim-credentials-'));
after(() => rmSync(root, { recursive: true, force: true }));
const mode = (path: string) => statSync(path).mode & 0o777;

describe('simulator push credentials', () => {
  it('generates a service account per FCM vendor and a .p8 key per APNs vendor, owner-only', async () => {
    const dir = join(root, 'fresh', 'simulator-credentials');
    const credentials = await ensureSimulatorCredentials(dir);
    assert.equal(mode(dir), 0o700);
    assert.deepEqual(readdirSync(dir).sort(), SIMULATOR_CREDENTIAL_FILES);
    for (const file of readdirSync(dir)) assert.equal(mode(join(dir, file)), 0o600, file);

    const fcm = credentials.fcm.fcm!;
    assert.equal(fcm.account.project_id, 'herald-sim');
    assert.equal(credentials.fcm['fcm-b']!.account.project_id, 'herald-sim-b');
    assert.equal(fcm.account.client_email, 'herald@herald-sim.iam.gserviceaccount.com');
    assert.equal(fcm.account.token_uri, 'https://oauth2.googleapis.com/token');
    assert.match(fcm.account.private_key_id ?? '', /^[0-9a-f]{40}$/);
    assert.equal(createPrivateKey(fcm.account.private_key).asymmetricKeyDetails?.modulusLength, 2048);

    const apns = credentials.apns.apns!;
    assert.match(apns.keyId, /^[A-Z0-9]{10}$/);
    assert.match(apns.teamId, /^[A-Z0-9]{10}$/);
    assert.notEqual(apns.keyId, credentials.apns['apns-b']!.keyId);
    assert.equal(apns.topic, 'com.example.herald');
    assert.equal(createPrivateKey(apns.privateKeyPem).asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.match(readFileSync(apns.file, 'utf8'), /^-----BEGIN PRIVATE KEY-----\n/);
  });

  it('creates them once: later calls, and calls racing each other, get the same keys', async () => {
    const dir = join(root, 'shared');
    const [a, b] = await Promise.all([ensureSimulatorCredentials(dir), ensureSimulatorCredentials(dir)]);
    const c = await ensureSimulatorCredentials(dir);
    for (const other of [b, c]) {
      assert.equal(other.fcm.fcm!.account.private_key, a.fcm.fcm!.account.private_key);
      assert.equal(other.apns['apns-b']!.privateKeyPem, a.apns['apns-b']!.privateKeyPem);
      assert.equal(other.apns['apns-b']!.keyId, a.apns['apns-b']!.keyId);
      assert.deepEqual(other.text['sens-sms'], a.text['sens-sms']);
      assert.equal(other.sns!.certificatePem, a.sns!.certificatePem, 'one SNS key and certificate pair');
    }
    const sens = a.text['sens-sms']!;
    assert.match(sens.accountId, /^[A-Z0-9]{20}$/);
    assert.match(sens.secret, /^[A-Za-z0-9]{40}$/);
    assert.match(sens.serviceId ?? '', /^ncp:sms:kr:\d{12}:herald$/);
    assert.match(a.text['solapi-alimtalk']!.accountId, /^NCS[A-Z0-9]{13}$/);
    assert.deepEqual(readdirSync(dir).sort(), SIMULATOR_CREDENTIAL_FILES);
  });

  it('gives the simulator the public half of every key it must trust', async () => {
    const credentials = await ensureSimulatorCredentials(join(root, 'shared'));
    const trust = simulatorPushTrust(credentials);
    const data = Buffer.from('header.claims');
    const fcm = credentials.fcm['fcm-b']!;
    const fcmTrust = trust.fcm!['fcm-b']!;
    assert.deepEqual(
      { projectId: fcmTrust.projectId, clientEmail: fcmTrust.clientEmail },
      { projectId: 'herald-sim-b', clientEmail: fcm.account.client_email },
    );
    const rs256 = sign('sha256', data, fcm.account.private_key);
    assert.ok(verify('sha256', data, createPublicKey(fcmTrust.publicKeyPem), rs256));
    const apns = credentials.apns.apns!;
    const apnsTrust = trust.apns!.apns!;
    assert.deepEqual(
      { keyId: apnsTrust.keyId, teamId: apnsTrust.teamId },
      { keyId: apns.keyId, teamId: apns.teamId },
    );
    const es256 = sign('sha256', data, { key: apns.privateKeyPem, dsaEncoding: 'ieee-p1363' });
    assert.ok(verify('sha256', data, { key: apnsTrust.publicKeyPem, dsaEncoding: 'ieee-p1363' }, es256));
    assert.ok(!JSON.stringify(trust).includes('PRIVATE'));
  });
});
