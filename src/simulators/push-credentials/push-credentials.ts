import { createHash, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadApnsKey, loadServiceAccount, type ServiceAccountKey } from '../../config/vendor-secrets.ts';
import { ensureSesCredentials, type SesSimulatorCredentials } from '../ses/ses-credentials.ts';
import { ensureSnsSigningCredentials, type SnsSigningCredentials } from '../ses/sns-signing-credentials.ts';
import { ensureSmtpCredentials, type SmtpSimulatorCredentials } from '../smtp/smtp-credentials.ts';
import { ensureTextCredentials, type TextSimulatorCredentials } from '../text/text-credentials.ts';
import {
  APNS_SIMULATOR_TEAMS,
  APNS_SIMULATOR_TOPIC,
  FCM_SIMULATOR_PROJECTS,
  serviceAccountEmail,
  simulatorPushVendors,
} from './simulator-identities.ts';
import { ensureCredentialsDirectory, writeFileOnce } from './write-once.ts';

const generate = promisify(generateKeyPair);

/** The generated service account of one FCM simulator vendor. */
export interface FcmSimulatorCredentials {
  /** The key file, as the fleet's `credentials: {file}` would name it. */
  readonly file: string;
  readonly account: ServiceAccountKey;
  readonly publicKeyPem: string;
}

/** The generated .p8 key of one APNs simulator vendor, with its key id, team and default topic. */
export interface ApnsSimulatorCredentials {
  readonly file: string;
  readonly keyId: string;
  readonly teamId: string;
  readonly topic: string;
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

export interface SimulatorCredentials {
  readonly dir: string;
  /** By vendor id (nhn-sms, sens-alimtalk...): the Korean text vendors' accounts. */
  readonly text: Readonly<Record<string, TextSimulatorCredentials>>;
  /** By vendor id (fcm, fcm-b). */
  readonly fcm: Readonly<Record<string, FcmSimulatorCredentials>>;
  /** By vendor id (apns, apns-b). */
  readonly apns: Readonly<Record<string, ApnsSimulatorCredentials>>;
  /** The SMTP server's AUTH account (vendor smtp); absent in deployments built by hand (tests). */
  readonly smtp?: SmtpSimulatorCredentials;
  /** The SES access key (vendor ses); absent in deployments built by hand (tests). */
  readonly ses?: SesSimulatorCredentials;
  /** The simulated SNS' signing key and certificate (SES notifications); absent in hand-built ones. */
  readonly sns?: SnsSigningCredentials;
}

/**
 * The simulator's push credentials in `dir`, generated on first use: an RSA-2048 Google
 * service-account key file per FCM simulator vendor (`fcm.json`), an EC P-256 PKCS#8 key per APNs
 * simulator vendor (`apns.p8`). Files are created once (0600, in a 0700 directory) and never
 * rewritten, so `herald sim` and herald pointed at the same directory (HERALD_SIMULATOR_CREDENTIALS_DIR,
 * `herald sim --credentials-dir`) agree on them even when both start at once: the simulator
 * trusts what herald signs with.
 */
export async function ensureSimulatorCredentials(dir: string): Promise<SimulatorCredentials> {
  ensureCredentialsDirectory(dir);
  const fcmIds = simulatorPushVendors('fcm');
  const apnsIds = simulatorPushVendors('apns');
  const [fcm, apns] = await Promise.all([
    Promise.all(fcmIds.map(async (id) => [id, await fcmCredentials(dir, id)] as const)),
    Promise.all(apnsIds.map(async (id) => [id, await apnsCredentials(dir, id)] as const)),
  ]);
  return {
    dir,
    fcm: Object.fromEntries(fcm),
    apns: Object.fromEntries(apns),
    text: ensureTextCredentials(dir),
    smtp: ensureSmtpCredentials(dir),
    ses: ensureSesCredentials(dir),
    sns: ensureSnsSigningCredentials(dir),
  };
}

async function fcmCredentials(dir: string, vendorId: string): Promise<FcmSimulatorCredentials> {
  const file = join(dir, `${vendorId}.json`);
  const projectId = FCM_SIMULATOR_PROJECTS[vendorId];
  if (projectId === undefined) throw new Error(`no simulator project is set for FCM vendor ${vendorId}`);
  if (!existsSync(file)) {
    const { privateKey, publicKey } = await generate('rsa', { modulusLength: 2048 });
    writeFileOnce(file, `${JSON.stringify(serviceAccountFile(projectId, privateKey, publicKey), null, 2)}\n`);
  }
  const account = loadServiceAccount(vendorId, { file });
  return { file, account, publicKeyPem: publicPemOf(account.private_key) };
}

async function apnsCredentials(dir: string, vendorId: string): Promise<ApnsSimulatorCredentials> {
  const file = join(dir, `${vendorId}.p8`);
  const teamId = APNS_SIMULATOR_TEAMS[vendorId];
  if (teamId === undefined) throw new Error(`no simulator team is set for APNs vendor ${vendorId}`);
  if (!existsSync(file)) {
    const { privateKey } = await generate('ec', { namedCurve: 'P-256' });
    writeFileOnce(file, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  }
  const privateKeyPem = loadApnsKey(vendorId, { file });
  const publicKeyPem = publicPemOf(privateKeyPem);
  return {
    file,
    keyId: appleKeyId(publicKeyPem),
    teamId,
    topic: APNS_SIMULATOR_TOPIC,
    privateKeyPem,
    publicKeyPem,
  };
}

/** A key file as the Google Cloud console downloads it (firebase-admin's cert() reads the same fields). */
function serviceAccountFile(projectId: string, privateKey: KeyObject, publicKey: KeyObject) {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const clientEmail = serviceAccountEmail(projectId);
  return {
    type: 'service_account',
    project_id: projectId,
    private_key_id: createHash('sha1').update(der).digest('hex'),
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    client_email: clientEmail,
    client_id: BigInt(`0x${createHash('sha256').update(der).digest('hex').slice(0, 16)}`).toString(),
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    // Google's, as in every real key file: herald passes the simulator's token URL explicitly.
    token_uri: 'https://oauth2.googleapis.com/token',
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(clientEmail)}`,
    universe_domain: 'googleapis.com',
  };
}

const KEY_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A 10-character Apple key id (A-Z, 0-9), derived from the key so it needs no file of its own. */
export function appleKeyId(publicKeyPem: string): string {
  const digest = createHash('sha256').update(publicKeyPem).digest();
  return Array.from(digest.subarray(0, 10), (byte) => KEY_ID_ALPHABET[byte % KEY_ID_ALPHABET.length]).join(
    '',
  );
}

function publicPemOf(privateKeyPem: string): string {
  return createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }) as string;
}
