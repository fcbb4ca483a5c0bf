import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pinnedSnsCertificates } from '../../../src/app/simulator-sns-trust.ts';
import { selfSignedCertificatePem } from '../../../src/simulators/ses/self-signed-certificate.ts';
import { sesDeliveryNotification, signedSnsNotification } from '../../../src/simulators/ses/sns-notifier.ts';
import {
  ensureSnsSigningCredentials,
  SIMULATOR_SNS_CERTIFICATE_URL,
} from '../../../src/simulators/ses/sns-signing-credentials.ts';
import { createSigningCertificates } from '../../../src/vendors/ses/sns-certificates.ts';
import { verifySnsSignature } from '../../../src/vendors/ses/sns-message.ts';

/** Pinned SNS certificates: the simulators' certificate trusted at its exact URL, nothing else changed. */
describe('createSigningCertificates with pinned certificates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-pinned-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const signing = ensureSnsSigningCredentials(dir);

  function certificatesFetching(fetched: string[], pinned: ReadonlyMap<string, string>) {
    return createSigningCertificates({
      allowedHosts: ['sns.ap-northeast-2.amazonaws.com'],
      pinned,
      fetch: async (url) => {
        fetched.push(url.href);
        return signing.certificatePem;
      },
    });
  }

  it('answers a pinned URL without fetching, on a host that is not allowed, and the signature verifies', async () => {
    const fetched: string[] = [];
    const certificates = certificatesFetching(
      fetched,
      new Map([[signing.certificateUrl, signing.certificatePem]]),
    );
    const message = signedSnsNotification(signing, sesDeliveryNotification('0100-abc-000000'));
    const pem = await certificates.get(message.SigningCertURL);
    assert.equal(pem, signing.certificatePem);
    assert.ok(verifySnsSignature(message, pem));
    assert.deepEqual(fetched, [], 'nothing fetched');
  });

  it('still refuses an unpinned URL off the allowed hosts, and fetches one on them', async () => {
    const fetched: string[] = [];
    const certificates = certificatesFetching(
      fetched,
      new Map([[signing.certificateUrl, signing.certificatePem]]),
    );
    await assert.rejects(
      certificates.get('https://sns.simulator.herald.invalid/SimpleNotificationService-other.pem'),
      /not a \.pem on a host allowed/,
    );
    await assert.rejects(
      certificates.get('https://attacker.example/cert.pem'),
      /not a \.pem on a host allowed/,
    );
    const allowed = 'https://sns.ap-northeast-2.amazonaws.com/SimpleNotificationService-1.pem';
    await certificates.get(allowed);
    assert.deepEqual(fetched, [allowed]);
  });

  it('checks a pinned certificate like a fetched one (validity dates)', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const expired = selfSignedCertificatePem(privateKey, 'old', {
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2021-01-01T00:00:00Z'),
    });
    const certificates = certificatesFetching([], new Map([[SIMULATOR_SNS_CERTIFICATE_URL, expired]]));
    await assert.rejects(certificates.get(SIMULATOR_SNS_CERTIFICATE_URL), /outside its validity dates/);
  });

  it('pins the simulators’ certificate only while herald runs against simulators', () => {
    assert.equal(pinnedSnsCertificates({ simulators: 'off', simulatorCredentialsDir: dir }).size, 0);
    for (const simulators of ['in-process', 'external'] as const) {
      const pinned = pinnedSnsCertificates({ simulators, simulatorCredentialsDir: dir });
      assert.deepEqual([...pinned], [[SIMULATOR_SNS_CERTIFICATE_URL, signing.certificatePem]]);
    }
  });
});
