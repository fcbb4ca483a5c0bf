import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  loadApnsKey,
  loadServiceAccount,
  type SecretSource,
  VendorSecretError,
} from '../../src/config/vendor-secrets.ts';

const pem = (type: 'rsa' | 'ec', curve = 'P-256') =>
  (type === 'rsa'
    ? generateKeyPairSync('rsa', { modulusLength: 2048 })
    : generateKeyPairSync('ec', { namedCurve: curve })
  ).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

const RSA = pem('rsa');
const P256 = pem('ec');
const P384 = pem('ec', 'P-384');
const account = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({
    type: 'service_account',
    project_id: 'shop-prod',
    client_email: 'sender@shop-prod.iam.gserviceaccount.com',
    private_key: RSA,
    ...fields,
  });

/** Files and variables in memory: what the loader reads is all the test controls. */
function source(files: Record<string, string>, env: Record<string, string> = {}): SecretSource {
  return {
    env,
    readFile(path) {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return text;
    },
  };
}

/** Runs `load`, expecting a VendorSecretError that matches `pattern` and quotes none of `secrets`. */
function refused(load: () => unknown, pattern: RegExp, ...secrets: string[]): void {
  assert.throws(load, (error: unknown) => {
    assert.ok(error instanceof VendorSecretError);
    assert.match(error.message, pattern);
    for (const secret of secrets) {
      for (const line of secret.split('\n').filter((l) => l.length > 16)) {
        assert.ok(!error.message.includes(line.slice(0, 16)), `no secret in: ${error.message}`);
      }
    }
    return true;
  });
}

describe('vendor secrets', () => {
  it('reads a service account from a file or an environment variable', () => {
    const files = source({ '/etc/fcm.json': account() }, { FCM_SA: account() });
    assert.equal(loadServiceAccount('fcm', { file: '/etc/fcm.json' }, files).project_id, 'shop-prod');
    assert.equal(loadServiceAccount('fcm', { env: 'FCM_SA' }, files).private_key, RSA);
  });

  it('reads a .p8 key, also from a variable holding its line breaks as \\n', () => {
    const escaped = P256.replaceAll('\n', '\\n');
    const secrets = source({ '/k.p8': P256 }, { APNS_KEY: escaped });
    assert.equal(loadApnsKey('apns', { file: '/k.p8' }, secrets), P256);
    assert.equal(loadApnsKey('apns', { env: 'APNS_KEY' }, secrets), P256);
  });

  it('names the vendor and the file or variable when it cannot read one', () => {
    refused(
      () => loadServiceAccount('fcm-prod', { file: '/missing.json' }, source({})),
      /^vendor fcm-prod: file \/missing\.json \(credentials\.file\) cannot be read \(ENOENT\)$/,
    );
    refused(
      () => loadApnsKey('apns-prod', { env: 'HERALD_APNS_KEY' }, source({})),
      /^vendor apns-prod: environment variable HERALD_APNS_KEY \(key\.env\) is not set in this process$/,
    );
  });

  it('says what is wrong with the content without quoting any of it', () => {
    const broken = `{"private_key": "${RSA.replaceAll('\n', '\\n')}", oops`;
    refused(
      () => loadServiceAccount('fcm', { env: 'SA' }, source({}, { SA: broken })),
      /^vendor fcm: the service-account key in environment variable SA \(credentials\.env\) is not valid JSON$/,
      RSA,
    );
    refused(
      () => loadServiceAccount('fcm', { env: 'SA' }, source({}, { SA: account({ client_email: '' }) })),
      /is not a Google service-account key file \(type "service_account"; it lacks client_email\)/,
      RSA,
    );
    refused(
      () => loadServiceAccount('fcm', { env: 'SA' }, source({}, { SA: account({ private_key: P256 }) })),
      /private_key of the service account in environment variable SA \(credentials\.env\) is not an RSA key/,
      P256,
    );
    refused(
      () => loadApnsKey('apns', { file: '/k.p8' }, source({ '/k.p8': P384 })),
      /the APNs key in file \/k\.p8 \(key\.file\) is not on curve P-256/,
      P384,
    );
    refused(
      () =>
        loadApnsKey(
          'apns',
          { file: '/k.p8' },
          source({ '/k.p8': 'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49 not a key' }),
        ),
      /the APNs key in file \/k\.p8 \(key\.file\) is not a PEM private key$/,
      'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49',
    );
  });
});
