import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { findRemoteConfigProblems } from '../../src/api/remote-config-rules.ts';
import type { FleetDeployment } from '../../src/app/vendor-factory.ts';
import { DEFAULT_REMOTE_CONFIG, SIMULATOR_VENDORS } from '../../src/config/default-remote-config.ts';
import { withoutInlineSecrets } from '../../src/config/inline-secret-rules.ts';
import { loadDkimKey, VendorSecretError } from '../../src/config/vendor-secrets.ts';
import { smtpFactory } from '../../src/vendors/smtp/smtp-factory.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests break documents in ways the type forbids
const mutable = (): any => JSON.parse(JSON.stringify(DEFAULT_REMOTE_CONFIG));
const policy = { timeoutMs: 5_000, breakerThreshold: 5, breakerHalfOpenAfterMs: 10_000 };

describe('smtp vendor definitions', () => {
  it('accepts the default (smtp at the simulator) and a real relay with AUTH by reference', () => {
    assert.deepEqual(findRemoteConfigProblems(DEFAULT_REMOTE_CONFIG, SIMULATOR_VENDORS), []);
    const document = mutable();
    document.vendors['smtp-relay'] = {
      ...policy,
      kind: 'smtp',
      host: 'smtp.example.com',
      tls: 'implicit',
      user: 'herald@example.com',
      credentials: { env: 'HERALD_SMTP_PASSWORD' },
      from: 'Shop <no-reply@example.com>',
      messageIdDomain: 'mail.example.com',
    };
    document.routing.email = [...document.routing.email, { vendor: 'smtp-relay', weight: 10 }];
    assert.deepEqual(findRemoteConfigProblems(document, SIMULATOR_VENDORS), []);
  });

  it('lists what is wrong with each kind of definition', () => {
    const document = mutable();
    document.vendors.smtp = { ...document.vendors.smtp, host: 'relay.example.com', user: 'x' };
    document.vendors['smtp-a'] = { ...policy, kind: 'smtp', endpoint: 'simulator' };
    document.vendors['smtp-b'] = { ...policy, kind: 'smtp', user: 'herald' };
    document.vendors['smtp-c'] = {
      ...policy,
      kind: 'smtp',
      host: 'relay.example.com',
      from: 'a\r\nBcc: b@evil.example',
    };
    const problems = findRemoteConfigProblems(document, SIMULATOR_VENDORS).join('\n');
    assert.match(problems, /vendors\.smtp\.host: with endpoint "simulator"/);
    assert.match(problems, /vendors\.smtp\.user: with endpoint "simulator"/);
    assert.match(
      problems,
      /vendors\.smtp-a\.endpoint is "simulator", but the simulator serves SMTP only as vendor "smtp"/,
    );
    assert.match(problems, /vendors\.smtp-b\.host is required/);
    assert.match(problems, /vendors\.smtp-b\.user and vendors\.smtp-b\.credentials .* go together/);
    assert.match(problems, /from/);
  });

  it('builds a real relay with the password its credentials name, and names what is missing', () => {
    const settings = {
      ...policy,
      kind: 'smtp' as const,
      host: 'relay.example.com',
      user: 'u',
      credentials: { env: 'PW' },
    };
    const deployment = (env: Record<string, string>): FleetDeployment => ({
      simulatorUrl: undefined,
      simulatorCredentials: undefined,
      secrets: { readFile: () => '', env },
    });
    const build = smtpFactory({ id: 'relay', settings, channels: ['email'] }, deployment({ PW: 'a b c\n' }));
    const vendor = build();
    assert.deepEqual(vendor.channels, ['email']);
    void vendor.close();
    assert.throws(
      () => smtpFactory({ id: 'relay', settings, channels: ['email'] }, deployment({})),
      (error: unknown) => error instanceof VendorSecretError && /PW/.test(error.message),
    );
    assert.throws(
      () =>
        smtpFactory(
          { id: 'smtp', settings: { ...policy, kind: 'smtp', endpoint: 'simulator' }, channels: ['email'] },
          deployment({}),
        ),
      /no simulator SMTP server runs/,
    );
  });
});

describe('smtp dkim settings', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const PEM = rsa.export({ type: 'pkcs8', format: 'pem' }) as string;
  const relay = (dkim: unknown) => {
    const document = mutable();
    document.vendors['smtp-relay'] = { ...policy, kind: 'smtp', host: 'smtp.example.com', dkim };
    return document;
  };
  const dkim = {
    domainName: 'example.com',
    keySelector: 'herald2026',
    privateKey: { file: '/etc/herald/dkim.pem' },
  };

  it('accepts a domain, a selector and the key by reference (file or env), on a relay or the simulator', () => {
    assert.deepEqual(findRemoteConfigProblems(relay(dkim), SIMULATOR_VENDORS), []);
    const byEnv = relay({ ...dkim, keySelector: 's1.mail', privateKey: { env: 'HERALD_DKIM_KEY' } });
    assert.deepEqual(findRemoteConfigProblems(byEnv, SIMULATOR_VENDORS), []);
    const simulator = mutable();
    simulator.vendors.smtp = { ...simulator.vendors.smtp, dkim };
    assert.deepEqual(findRemoteConfigProblems(simulator, SIMULATOR_VENDORS), []);
    // A reference is not a secret: GET /admin/config keeps it.
    assert.deepEqual(withoutInlineSecrets(relay(dkim)).vendors['smtp-relay'].dkim, dkim);
  });

  it('refuses a PEM pasted into privateKey, or anywhere in dkim, without repeating it', () => {
    for (const document of [
      relay({ ...dkim, privateKey: PEM }),
      relay({ ...dkim, privateKey: { pem: PEM } }),
      relay({ ...dkim, privateKey: { file: PEM } }),
    ]) {
      const problems = findRemoteConfigProblems(document, SIMULATOR_VENDORS);
      assert.match(
        problems.join('\n'),
        /vendors\.smtp-relay\.dkim\.privateKey.* (is a field for a secret|looks like key material)/,
      );
      assert.ok(!problems.join('\n').includes('BEGIN'), 'the key is not repeated');
      assert.equal(withoutInlineSecrets(document).vendors['smtp-relay'].dkim.privateKey?.pem, undefined);
    }
    assert.equal(
      withoutInlineSecrets(relay({ ...dkim, privateKey: PEM })).vendors['smtp-relay'].dkim.privateKey,
      undefined,
    );
  });

  it('lists a bad domain, selector, reference or field, each by name', () => {
    const problems = (value: unknown) => findRemoteConfigProblems(relay(value), SIMULATOR_VENDORS).join('\n');
    assert.match(
      problems({ ...dkim, domainName: 'localhost' }),
      /vendors\.smtp-relay\.dkim\.domainName must be a domain with a dot/,
    );
    assert.match(problems({ ...dkim, domainName: 'example.com\r\nBcc: x' }), /dkim\.domainName/);
    assert.match(problems({ ...dkim, domainName: '-bad.example.com' }), /dkim\.domainName/);
    assert.match(problems({ ...dkim, keySelector: 'a;b' }), /dkim\.keySelector/);
    assert.match(problems({ ...dkim, keySelector: '' }), /dkim\.keySelector/);
    assert.match(problems({ ...dkim, keySelector: 'x'.repeat(64) }), /dkim\.keySelector/);
    assert.match(
      problems({ ...dkim, privateKey: { file: '/a.pem', env: 'B' } }),
      /vendors\.smtp-relay\.dkim\.privateKey must name exactly one of file or env/,
    );
    assert.match(problems({ domainName: 'example.com', keySelector: 's1' }), /dkim.*privateKey/);
    assert.match(problems({ ...dkim, canonicalization: 'simple' }), /dkim\.canonicalization/);
  });

  it('loads the key its privateKey names: an RSA PEM (file, or env with \\n for line breaks), else names what is wrong', () => {
    const source = (files: Record<string, string>, env: Record<string, string> = {}) => ({
      readFile: (path: string) => {
        const text = files[path];
        if (text === undefined) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
        return text;
      },
      env,
    });
    assert.match(
      loadDkimKey('relay', { file: '/k.pem' }, source({ '/k.pem': PEM })),
      /^-----BEGIN PRIVATE KEY-----/,
    );
    const pkcs1 = rsa.export({ type: 'pkcs1', format: 'pem' }) as string;
    assert.match(
      loadDkimKey('relay', { env: 'K' }, source({}, { K: pkcs1.replaceAll('\n', '\\n') })),
      /^-----BEGIN PRIVATE KEY-----/,
    );
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string;
    const short = generateKeyPairSync('rsa', { modulusLength: 512 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string;
    const refused = (files: Record<string, string>, message: RegExp) =>
      assert.throws(
        () => loadDkimKey('relay', { file: '/k.pem' }, source(files)),
        (error: unknown) =>
          error instanceof VendorSecretError &&
          message.test(error.message) &&
          !error.message.includes('BEGIN'),
      );
    refused({}, /file \/k\.pem \(dkim\.privateKey\.file\) cannot be read \(ENOENT\)/);
    refused({ '/k.pem': 'not a key' }, /is not a PEM private key/);
    refused({ '/k.pem': ec }, /is not an RSA key/);
    refused({ '/k.pem': short }, /shorter than 1024 bits/);
  });

  it('builds the adapter with the key loaded once, and refuses to build without it', () => {
    const settings = { ...policy, kind: 'smtp' as const, host: 'relay.example.com', dkim };
    let reads = 0;
    const deployment = (files: Record<string, string>): FleetDeployment => ({
      simulatorUrl: undefined,
      simulatorCredentials: undefined,
      secrets: {
        readFile: (path) => {
          reads += 1;
          const text = files[path];
          if (text === undefined) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
          return text;
        },
        env: {},
      },
    });
    const build = smtpFactory(
      { id: 'relay', settings, channels: ['email'] },
      deployment({ '/etc/herald/dkim.pem': PEM }),
    );
    void build().close();
    void build().close();
    assert.equal(reads, 1);
    assert.throws(
      () => smtpFactory({ id: 'relay', settings, channels: ['email'] }, deployment({})),
      (error: unknown) => error instanceof VendorSecretError && /dkim\.privateKey/.test(error.message),
    );
  });
});

describe('smtp tlsCa setting', () => {
  const relay = (tlsCa: unknown) => {
    const document = mutable();
    document.vendors['smtp-relay'] = { ...policy, kind: 'smtp', host: 'smtp.example.com', tlsCa };
    return document;
  };

  it('accepts the CA certificates by reference on a relay, and refuses them on the simulator', () => {
    assert.deepEqual(
      findRemoteConfigProblems(relay({ file: '/etc/herald/relay-ca.pem' }), SIMULATOR_VENDORS),
      [],
    );
    assert.match(
      findRemoteConfigProblems(relay({ file: '/a', env: 'B' }), SIMULATOR_VENDORS).join('\n'),
      /vendors\.smtp-relay\.tlsCa/,
    );
    const simulator = mutable();
    simulator.vendors.smtp = { ...simulator.vendors.smtp, tlsCa: { file: '/etc/herald/relay-ca.pem' } };
    assert.match(
      findRemoteConfigProblems(simulator, SIMULATOR_VENDORS).join('\n'),
      /vendors\.smtp\.tlsCa: with endpoint "simulator"/,
    );
  });

  it('loads the certificates when the relay adapter is built, and refuses a file without one', () => {
    const settings = { ...policy, kind: 'smtp' as const, host: '127.0.0.1', tlsCa: { file: '/ca.pem' } };
    const deployment = (text: string): FleetDeployment => ({
      simulatorUrl: undefined,
      simulatorCredentials: undefined,
      secrets: { readFile: () => text, env: {} },
    });
    assert.throws(
      () => smtpFactory({ id: 'relay', settings, channels: ['email'] }, deployment('not a certificate')),
      (error: unknown) =>
        error instanceof VendorSecretError && /tlsCa\.file\) holds no PEM certificate/.test(error.message),
    );
    assert.throws(
      () =>
        smtpFactory(
          { id: 'relay', settings, channels: ['email'] },
          deployment('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
        ),
      /does not parse as X\.509/,
    );
  });
});
