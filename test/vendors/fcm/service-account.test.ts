import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { parseServiceAccount, ServiceAccountError } from '../../../src/vendors/fcm/service-account.ts';
import { testServiceAccount } from './fcm-test-kit.ts';

const valid = testServiceAccount('demo-project', 'sender@demo-project.iam.gserviceaccount.com');
const fields = JSON.parse(valid.json) as Record<string, unknown>;
const privateKeyPem = fields.private_key as string;
/** A line of the key's base64 body: must never show up in an error or a dump. */
const keyMaterial = privateKeyPem.split('\n')[5]!;

function parseWith(overrides: Record<string, unknown>): () => unknown {
  return () => parseServiceAccount(JSON.stringify({ ...fields, ...overrides }), 'key.json');
}

describe('parseServiceAccount', () => {
  it('reads a key file into a typed account', () => {
    const account = parseServiceAccount(valid.json);
    assert.equal(account.projectId, 'demo-project');
    assert.equal(account.clientEmail, 'sender@demo-project.iam.gserviceaccount.com');
    assert.equal(account.privateKeyId, fields.private_key_id);
    assert.equal(account.tokenUri, 'https://oauth2.googleapis.com/token');
    assert.equal(account.privateKey.asymmetricKeyType, 'rsa');
  });

  it('never shows the key when printed or serialised', () => {
    const account = parseServiceAccount(valid.json);
    assert.ok(!inspect(account, { depth: 5 }).includes(keyMaterial));
    assert.ok(!JSON.stringify(account).includes(keyMaterial));
  });

  it('lists every problem at once, naming fields, never the key', () => {
    const error = (() => {
      try {
        parseWith({ type: 'user', client_email: '', project_id: 7, token_uri: 'ftp://x' })();
      } catch (caught) {
        return caught as Error;
      }
      return assert.fail('should throw');
    })();
    assert.ok(error instanceof ServiceAccountError);
    assert.match(error.message, /^key\.json is not a usable service account key/);
    for (const part of ['type must be "service_account"', 'project_id', 'client_email', 'token_uri']) {
      assert.ok(error.message.includes(part), part);
    }
    assert.ok(!error.message.includes(keyMaterial));
  });

  it('refuses text that is not JSON without quoting it', () => {
    const text = `{ "private_key": "${keyMaterial}" oops`;
    assert.throws(
      () => parseServiceAccount(text, 'HERALD_FCM_KEY'),
      (error: Error) => {
        assert.equal(error.message, 'HERALD_FCM_KEY is not valid JSON');
        return true;
      },
    );
  });

  it('refuses an unreadable or non-RSA private key', () => {
    assert.throws(
      parseWith({ private_key: '-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n' }),
      {
        message: /private_key is not a readable PEM private key/,
      },
    );
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    assert.throws(parseWith({ private_key: ec }), {
      message: /private_key must be an RSA key \(RS256\), not ec/,
    });
  });

  it('takes a key file without token_uri or private_key_id', () => {
    const account = parseWith({ token_uri: undefined, private_key_id: undefined })() as { tokenUri?: string };
    assert.equal(account.tokenUri, undefined);
  });
});
