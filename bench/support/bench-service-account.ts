import { generateKeyPairSync, randomBytes } from 'node:crypto';

/** The fields of a Google service-account key file (the JSON the Firebase console downloads). */
export interface BenchServiceAccount {
  readonly type: 'service_account';
  readonly project_id: string;
  readonly private_key_id: string;
  readonly private_key: string;
  readonly client_email: string;
  readonly client_id: string;
  readonly auth_uri: string;
  readonly token_uri: string;
  readonly auth_provider_x509_cert_url: string;
  readonly client_x509_cert_url: string;
  readonly universe_domain: string;
}

/**
 * A fresh RSA-2048 service account for `projectId` whose `token_uri` is the simulator's OAuth
 * endpoint, and the public key the simulator is told to trust. Both senders use the same one: the
 * bench measures sending, not who holds which key. Never written anywhere but a temp file (0600).
 */
export function generateBenchServiceAccount(
  projectId: string,
  tokenUri: string,
): { account: BenchServiceAccount; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const clientEmail = `herald-bench@${projectId}.iam.gserviceaccount.com`;
  const account: BenchServiceAccount = {
    type: 'service_account',
    project_id: projectId,
    private_key_id: randomBytes(20).toString('hex'),
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: clientEmail,
    client_id: String(100_000_000_000_000_000_000n + BigInt(randomBytes(6).readUIntBE(0, 6))),
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: tokenUri,
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(clientEmail)}`,
    universe_domain: 'googleapis.com',
  };
  return { account, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}
