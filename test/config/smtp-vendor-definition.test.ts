import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findRemoteConfigProblems } from '../../src/api/remote-config-rules.ts';
import type { FleetDeployment } from '../../src/app/vendor-factory.ts';
import { DEFAULT_REMOTE_CONFIG, SIMULATOR_VENDORS } from '../../src/config/default-remote-config.ts';
import { VendorSecretError } from '../../src/config/vendor-secrets.ts';
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
