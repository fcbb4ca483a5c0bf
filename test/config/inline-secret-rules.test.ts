import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { findRemoteConfigProblems } from '../../src/api/remote-config-rules.ts';
import { DEFAULT_REMOTE_CONFIG, SIMULATOR_VENDORS } from '../../src/config/default-remote-config.ts';
import { findInlineSecrets, withoutInlineSecrets } from '../../src/config/inline-secret-rules.ts';

const problemsOf = (document: unknown) => findRemoteConfigProblems(document, SIMULATOR_VENDORS);
// biome-ignore lint/suspicious/noExplicitAny: tests break documents in ways the type forbids
const mutable = (): any => JSON.parse(JSON.stringify(DEFAULT_REMOTE_CONFIG));

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const DER_BASE64 = (privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer).toString('base64');
/** A line of the key's body: no message may carry any part of the key. */
const KEY_FRAGMENT = PEM.split('\n')[1]!.slice(0, 24);

function assertNoKeyMaterial(problems: readonly string[]): void {
  for (const problem of problems) {
    assert.ok(!problem.includes(KEY_FRAGMENT) && !problem.includes('BEGIN'), `no key in: ${problem}`);
  }
}

describe('inline secrets in the remote config', () => {
  it('refuses a privateKey field with one actionable line (not also "not a known field")', () => {
    const document = mutable();
    document.vendors.apns.privateKey = PEM;
    const problems = problemsOf(document);
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(
      problems[0]!,
      /^vendors\.apns\.privateKey is a field for a secret: secrets are never stored/,
    );
    assert.match(problems[0]!, /"key": \{"env": "HERALD_APNS_KEY"\}/);
    assertNoKeyMaterial(problems);
  });

  it('finds key material wherever it is, under any field name, and never repeats it', () => {
    const document = mutable();
    document.vendors['fcm-b'] = { ...document.vendors['fcm-b'], credentials: { private_key: PEM } };
    document.vendors.apns = { ...document.vendors.apns, topic: PEM };
    document.vendors['apns-b'] = { ...document.vendors['apns-b'], key: PEM };
    document.notes = [`paste: ${DER_BASE64}`, DER_BASE64];
    document.lanes.ad.comment = JSON.stringify({ type: 'service_account', private_key: 'x' });
    const problems = problemsOf(document);
    assertNoKeyMaterial(problems);
    const secrets = problems.filter((p) => p.includes('secrets are never stored'));
    assert.deepEqual(
      secrets.map((p) => p.slice(0, p.indexOf(':'))).sort(),
      [
        'lanes.ad.comment looks like key material (a service-account key file)',
        'notes[0] looks like key material (a base64 private key)',
        'notes[1] looks like key material (a base64 private key)',
        'vendors.apns-b.key must name where the secret is ({"file"',
        'vendors.apns.topic looks like key material (a PEM block)',
        'vendors.fcm-b.credentials.private_key is a field for a secret',
      ].sort(),
    );
  });

  it('takes a vendor or client named like a secret for an id, not a secret', () => {
    const document = mutable();
    document.vendors.secret = document.vendors['sim-sms-a'];
    document.rateLimits.clients = { password: document.rateLimits.default };
    assert.deepEqual(findInlineSecrets(document).problems, []);
  });

  it('takes everything findInlineSecrets reports out of a copy, and nothing else', () => {
    const document = mutable();
    document.vendors.apns.privateKey = PEM;
    document.vendors.apns.topic = PEM;
    const cleaned = withoutInlineSecrets(document);
    assert.deepEqual(findInlineSecrets(cleaned).problems, []);
    assert.ok(!JSON.stringify(cleaned).includes(KEY_FRAGMENT));
    assert.deepEqual(withoutInlineSecrets(DEFAULT_REMOTE_CONFIG), DEFAULT_REMOTE_CONFIG);
    assert.equal(document.vendors.apns.topic, PEM, 'the original is left alone');
  });
});
