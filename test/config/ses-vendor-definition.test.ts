import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findRemoteConfigProblems } from '../../src/api/remote-config-rules.ts';
import type { FleetDeployment } from '../../src/app/vendor-factory.ts';
import { DEFAULT_REMOTE_CONFIG, SIMULATOR_VENDORS } from '../../src/config/default-remote-config.ts';
import { endpointOf } from '../../src/config/vendor-definitions.ts';
import { VendorSecretError } from '../../src/config/vendor-secrets.ts';
import type { SesVendorSettings } from '../../src/core/domain/remote-config.ts';
import { sesFactory } from '../../src/vendors/ses/ses-factory.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests break documents in ways the type forbids
const mutable = (): any => JSON.parse(JSON.stringify(DEFAULT_REMOTE_CONFIG));
const policy = { timeoutMs: 5_000, breakerThreshold: 5, breakerHalfOpenAfterMs: 10_000 };
const realSes: SesVendorSettings = {
  ...policy,
  kind: 'ses',
  region: 'ap-northeast-2',
  accountId: 'AKIAIOSFODNN7EXAMPLE',
  credentials: { env: 'HERALD_SES_SECRET' },
  from: 'Shop <no-reply@example.com>',
  configurationSet: 'herald-events',
};

describe('ses vendor definitions', () => {
  it('routes e-mail smtp 80 / ses 20 by default, and accepts real SES with the key by reference', () => {
    assert.deepEqual(DEFAULT_REMOTE_CONFIG.routing.email, [
      { vendor: 'smtp', weight: 80 },
      { vendor: 'ses', weight: 20 },
    ]);
    assert.deepEqual(findRemoteConfigProblems(DEFAULT_REMOTE_CONFIG, SIMULATOR_VENDORS), []);
    const document = mutable();
    document.vendors['ses-seoul'] = realSes;
    document.routing.email = [...document.routing.email, { vendor: 'ses-seoul', weight: 10 }];
    assert.deepEqual(findRemoteConfigProblems(document, SIMULATOR_VENDORS), []);
    assert.equal(endpointOf(realSes), 'https://email.ap-northeast-2.amazonaws.com');
  });

  it('lists what is wrong with each kind of definition', () => {
    const document = mutable();
    document.vendors.ses = {
      ...document.vendors.ses,
      region: 'us-east-1',
      accountId: 'AKIAIOSFODNN7EXAMPLE',
    };
    document.vendors['ses-a'] = { ...policy, kind: 'ses', endpoint: 'simulator' };
    document.vendors['ses-b'] = { ...policy, kind: 'ses', host: 'smtp.example.com' };
    document.vendors['ses-c'] = { ...realSes, region: 'Seoul' };
    const problems = findRemoteConfigProblems(document, SIMULATOR_VENDORS).join('\n');
    assert.match(problems, /vendors\.ses\.region: with endpoint "simulator"/);
    assert.match(problems, /vendors\.ses\.accountId: with endpoint "simulator"/);
    assert.match(
      problems,
      /vendors\.ses-a\.endpoint is "simulator", but the simulator serves SES only as vendor "ses"/,
    );
    assert.match(problems, /vendors\.ses-b\.host is a setting of kind smtp/);
    assert.match(problems, /vendors\.ses-b\.region is required/);
    assert.match(problems, /vendors\.ses-b\.accountId is required/);
    assert.match(problems, /vendors\.ses-b\.credentials is required/);
    assert.match(problems, /region/);
  });

  it('builds real SES with the secret its credentials name, and names what is missing', () => {
    const deployment = (env: Record<string, string>): FleetDeployment => ({
      simulatorUrl: undefined,
      simulatorCredentials: undefined,
      secrets: { readFile: () => '', env },
    });
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const build = sesFactory(
      { id: 'ses-seoul', settings: realSes, channels: ['email'] },
      deployment({ HERALD_SES_SECRET: `${secret}\n` }),
    );
    const vendor = build();
    assert.deepEqual(vendor.channels, ['email']);
    void vendor.close();
    assert.throws(
      () => sesFactory({ id: 'ses-seoul', settings: realSes, channels: ['email'] }, deployment({})),
      (error: unknown) => error instanceof VendorSecretError && /HERALD_SES_SECRET/.test(error.message),
    );
    assert.throws(
      () =>
        sesFactory(
          { id: 'ses', settings: { ...policy, kind: 'ses', endpoint: 'simulator' }, channels: ['email'] },
          deployment({}),
        ),
      /no generated simulator SES access key/,
    );
  });
});
