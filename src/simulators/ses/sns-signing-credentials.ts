import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCredentialsDirectory, writeFileOnce } from '../push-credentials/write-once.ts';
import { selfSignedCertificatePem } from './self-signed-certificate.ts';
import { SES_SIMULATOR_REGION } from './ses-credentials.ts';
import type { SnsSigner } from './sns-notifier.ts';

/**
 * The host of the simulator's SNS SigningCertURL. `.invalid` never resolves (RFC 2606), so no
 * deployment can be made to fetch a key from it: herald trusts it only as a pinned certificate,
 * and only while it runs against the simulators (app/simulator-sns-trust.ts).
 */
export const SIMULATOR_SNS_CERTIFICATE_HOST = 'sns.simulator.herald.invalid';

/** SNS' form, `https://<host>/SimpleNotificationService-<id>.pem`. */
export const SIMULATOR_SNS_CERTIFICATE_URL = `https://${SIMULATOR_SNS_CERTIFICATE_HOST}/SimpleNotificationService-herald-sim.pem`;

/** The topic the simulated SES account publishes its delivery and bounce notifications to. */
export const SIMULATOR_SNS_TOPIC_ARN = `arn:aws:sns:${SES_SIMULATOR_REGION}:000000000000:herald-sim-ses-notifications`;

export interface SnsSigningCredentials extends SnsSigner {
  readonly certificatePem: string;
  readonly file: string;
}

/** Twenty years: the file is made once and kept, and herald checks the validity dates. */
const VALID_FOR_MS = 20 * 365 * 24 * 60 * 60 * 1_000;

/**
 * The simulated SNS' signing key and its self-signed certificate in `dir` (`ses-sns.json`, 0600),
 * generated once and never rewritten, so herald (which pins the certificate) and `herald sim`
 * (which signs with the key) pointed at the same directory agree on them. Key and certificate
 * share one file so two processes racing to create them cannot end up with a mismatched pair.
 */
export function ensureSnsSigningCredentials(dir: string): SnsSigningCredentials {
  ensureCredentialsDirectory(dir);
  const file = join(dir, 'ses-sns.json');
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    // A day back, so a clock a little behind the simulator's still finds it valid.
    const notBefore = new Date(Date.now() - 24 * 60 * 60 * 1_000);
    const certificatePem = selfSignedCertificatePem(privateKey, SIMULATOR_SNS_CERTIFICATE_HOST, {
      notBefore,
      notAfter: new Date(notBefore.getTime() + VALID_FOR_MS),
    });
    const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    writeFileOnce(file, `${JSON.stringify({ privateKeyPem, certificatePem }, null, 2)}\n`);
  }
  const { privateKeyPem, certificatePem } = JSON.parse(readFileSync(file, 'utf8')) as {
    privateKeyPem: string;
    certificatePem: string;
  };
  createPrivateKey(privateKeyPem); // a damaged file fails here, at start, not at the first notification
  return {
    privateKeyPem,
    certificatePem,
    certificateUrl: SIMULATOR_SNS_CERTIFICATE_URL,
    topicArn: SIMULATOR_SNS_TOPIC_ARN,
    file,
  };
}
