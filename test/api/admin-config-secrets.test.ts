import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_REMOTE_CONFIG } from '../../src/config/default-remote-config.ts';
import type { RemoteConfigDocument } from '../../src/core/domain/remote-config.ts';
import { ADMIN_KEY, auth, buildTestApp, type TestApp } from './test-app.ts';

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const P8 = ec.export({ type: 'pkcs8', format: 'pem' }) as string;
const RSA_PEM = rsa.export({ type: 'pkcs8', format: 'pem' }) as string;
const SERVICE_ACCOUNT = JSON.stringify({ type: 'service_account', project_id: 'p', private_key: RSA_PEM });
const BARE_DER = (ec.export({ type: 'pkcs8', format: 'der' }) as Buffer).toString('base64');
/** The ways key material arrives pasted: a .p8, a PEM with escaped newlines, a key file, bare base64. */
const SECRETS = [P8, RSA_PEM.replaceAll('\n', '\\n'), SERVICE_ACCOUNT, BARE_DER];
/** Fragments of the keys' bodies: none may leave the API in any answer. */
const FRAGMENTS = [
  P8.split('\n')[1]!.slice(0, 20),
  RSA_PEM.split('\n')[2]!.slice(0, 20),
  BARE_DER.slice(8, 28),
];

function assertNoKeyMaterial(text: string): void {
  assert.ok(!text.includes('PRIVATE KEY'), 'no PEM header');
  for (const fragment of FRAGMENTS) assert.ok(!text.includes(fragment), 'no fragment of a key');
}

// biome-ignore lint/suspicious/noExplicitAny: documents built and broken freely
type Json = any;
const clone = (): Json => JSON.parse(JSON.stringify(DEFAULT_REMOTE_CONFIG));

/** Every object of the document, by path: where a pasted secret can land. */
function objectsOf(node: Json, found: Json[] = []): Json[] {
  if (node !== null && typeof node === 'object') {
    if (!Array.isArray(node)) found.push(node);
    for (const child of Object.values(node)) objectsOf(child, found);
  }
  return found;
}

describe('GET /admin/config never carries key material', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.app.close());
  const admin = auth(ADMIN_KEY);
  const get = () => t.app.inject({ method: 'GET', url: '/admin/config', headers: admin });
  const put = (document: unknown) =>
    t.app.inject({ method: 'PUT', url: '/admin/config', headers: admin, payload: document as object });

  it('stores and returns real push vendors as references only', async () => {
    const document = clone();
    document.vendors['fcm-prod'] = {
      kind: 'fcm',
      timeoutMs: 5_000,
      breakerThreshold: 5,
      breakerHalfOpenAfterMs: 10_000,
      credentials: { file: '/etc/herald/fcm-service-account.json' },
    };
    document.vendors['apns-prod'] = {
      kind: 'apns',
      timeoutMs: 5_000,
      breakerThreshold: 5,
      breakerHalfOpenAfterMs: 10_000,
      environment: 'production',
      keyId: 'ABC123DEFG',
      teamId: 'TEAM123456',
      key: { env: 'HERALD_APNS_KEY' },
    };
    assert.equal((await put(document)).statusCode, 200);
    const answer = await get();
    assert.deepEqual(answer.json().document.vendors['fcm-prod'].credentials, {
      file: '/etc/herald/fcm-service-account.json',
    });
    assert.deepEqual(answer.json().document.vendors['apns-prod'].key, { env: 'HERALD_APNS_KEY' });
  });

  it('refuses key material pasted anywhere in a PUT, without repeating it, and stores nothing', async () => {
    const fields = fc.constantFrom('privateKey', 'private_key', 'key', 'credentials', 'topic', 'note', 'pem');
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fields,
        fc.constantFrom(...SECRETS),
        fc.boolean(),
        async (at, field, secret, wrap) => {
          const document = clone();
          const objects = objectsOf(document);
          const target = objects[at % objects.length];
          target[field] = wrap ? { value: `pasted: ${secret}` } : secret;
          const before = t.remoteConfig?.version;
          const answer = await put(document);
          assert.equal(answer.statusCode, 400, answer.body);
          assert.equal(answer.json().error.code, 'HERALD_INVALID_CONFIG');
          assertNoKeyMaterial(answer.body);
          assert.equal(t.remoteConfig?.version, before);
          assertNoKeyMaterial((await get()).body);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('leaves out key material pasted anywhere into a document written into the store by hand', async () => {
    const fields = fc.constantFrom('privateKey', 'key', 'credentials', 'topic', 'note', 'endpoint');
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fields,
        fc.constantFrom(...SECRETS),
        fc.boolean(),
        async (at, field, secret, wrap) => {
          const document = clone();
          const objects = objectsOf(document);
          objects[at % objects.length][field] = wrap ? [`pasted: ${secret}`] : secret;
          t.remoteConfig = { version: 100, updatedAt: 0, document };
          const answer = await get();
          assert.equal(answer.statusCode, 200);
          assertNoKeyMaterial(answer.body);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('leaves out key material even of a document written into the store by hand', async () => {
    const document = clone();
    document.vendors.apns.privateKey = P8;
    document.vendors['apns-b'] = { ...document.vendors['apns-b'], topic: P8 };
    document.vendors.fcm.credentials = SERVICE_ACCOUNT;
    t.remoteConfig = { version: 99, updatedAt: 0, document: document as RemoteConfigDocument };
    const answer = await get();
    assert.equal(answer.statusCode, 200);
    assertNoKeyMaterial(answer.body);
    assert.equal(answer.json().document.vendors.apns.kind, 'apns', 'the rest of the document is there');
  });
});
