import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findRemoteConfigProblems } from '../../src/api/remote-config-rules.ts';
import { textAccountOf, textBaseUrlOf } from '../../src/app/vendor-factories.ts';
import { DEFAULT_REMOTE_CONFIG, SIMULATOR_VENDORS } from '../../src/config/default-remote-config.ts';
import { endpointOf, vendorCatalogue } from '../../src/config/vendor-definitions.ts';
import { loadTextSecret, VendorSecretError } from '../../src/config/vendor-secrets.ts';
import type { TextVendorSettings } from '../../src/core/domain/remote-config.ts';
import type { VendorCatalogue } from '../../src/ports/vendor.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests break documents in ways the type forbids
const mutable = (): any => JSON.parse(JSON.stringify(DEFAULT_REMOTE_CONFIG));
const policy = { timeoutMs: 5_000, breakerThreshold: 5, breakerHalfOpenAfterMs: 10_000 };
const withTextSimulators: VendorCatalogue = new Map([
  ...SIMULATOR_VENDORS,
  ['nhn-sms', ['sms', 'lms', 'mms']],
  ['sens-alimtalk', ['alimtalk']],
]);
const secrets = (env: Record<string, string>) => ({
  readFile: () => {
    throw Object.assign(new Error('no file'), { code: 'ENOENT' });
  },
  env,
});

describe('Korean text vendors in the remote config', () => {
  it('accepts real NHN, SENS and SOLAPI vendors that reference their secrets, and routes their channels', () => {
    const document = mutable();
    document.vendors['nhn-prod'] = {
      ...policy,
      kind: 'nhn-sms',
      accountId: 'AbCdEf0123456789',
      credentials: { env: 'HERALD_NHN_SMS_SECRET' },
    };
    document.vendors['sens-prod'] = {
      ...policy,
      kind: 'sens-alimtalk',
      accountId: 'ABCDEFGHIJ0123456789',
      serviceId: 'ncp:kkobizmsg:kr:1234567:shop',
      credentials: { file: '/etc/herald/sens.key' },
    };
    document.routing.sms = [{ vendor: 'nhn-prod', weight: 100 }];
    document.routing.alimtalk = [{ vendor: 'sens-prod', weight: 100 }];
    assert.deepEqual(findRemoteConfigProblems(document, SIMULATOR_VENDORS), []);
    const catalogue = vendorCatalogue(document, new Map());
    assert.deepEqual(catalogue.get('nhn-prod'), ['sms', 'lms', 'mms']);
    assert.deepEqual(catalogue.get('sens-prod'), ['alimtalk']);
    assert.equal(endpointOf(document.vendors['nhn-prod']), 'https://sms.api.nhncloudservice.com');
  });

  it('lists what a real text vendor lacks, and what a simulator one must leave out', () => {
    const document = mutable();
    document.vendors['sens-prod'] = {
      ...policy,
      kind: 'sens-sms',
      endpoint: 'https://sens.apigw.ntruss.com',
    };
    document.vendors['nhn-sms'] = {
      ...policy,
      kind: 'nhn-sms',
      endpoint: 'simulator',
      accountId: 'AbCdEf0123456789',
      credentials: { env: 'X' },
    };
    document.vendors['solapi-x'] = { ...policy, kind: 'solapi-sms', endpoint: 'simulator' };
    const problems = findRemoteConfigProblems(document, withTextSimulators);
    const expected = [
      /^vendors\.sens-prod\.accountId is required for a real endpoint: the access key id/,
      /^vendors\.sens-prod\.credentials is required for a real endpoint: .*HERALD_SENS_SMS_SECRET/,
      /^vendors\.sens-prod\.serviceId is required for a real SENS endpoint/,
      /^vendors\.nhn-sms\.accountId: with endpoint "simulator" the adapter uses the simulator's generated account/,
      /^vendors\.nhn-sms\.credentials: with endpoint "simulator"/,
      /^vendors\.solapi-x\.endpoint is "simulator", but the simulator serves solapi-sms only as vendor "solapi-sms"/,
    ];
    assert.equal(problems.length, expected.length, problems.join('\n'));
    for (const pattern of expected)
      assert.ok(
        problems.some((p) => pattern.test(p)),
        `${pattern} in ${problems}`,
      );
  });

  it("reads a text vendor's secret as one line of printable ASCII, never quoting it", () => {
    assert.equal(loadTextSecret('nhn-sms', { env: 'S' }, secrets({ S: '  abcDEF12\n' })), 'abcDEF12');
    assert.throws(
      () => loadTextSecret('nhn-sms', { env: 'S' }, secrets({ S: 'two words' })),
      (error: Error) =>
        error instanceof VendorSecretError &&
        /printable ASCII/.test(error.message) &&
        !error.message.includes('two'),
    );
    assert.throws(() => loadTextSecret('nhn-sms', { env: 'MISSING' }, secrets({})), /MISSING/);
  });

  it("gives an adapter the simulator's generated account, or the real one from its secret", () => {
    const generated = {
      kind: 'sens-sms' as const,
      accountId: 'A'.repeat(20),
      secret: 's'.repeat(40),
      serviceId: 'ncp:sms:kr:1:x',
      file: '/x',
    };
    const deployment = {
      simulatorUrl: 'http://127.0.0.1:9100',
      simulatorCredentials: { dir: '/x', fcm: {}, apns: {}, text: { 'sens-sms': generated } },
      secrets: secrets({ SENS_SECRET: 'real-secret' }),
    };
    const atSimulator: TextVendorSettings = { ...policy, kind: 'sens-sms', endpoint: 'simulator' };
    assert.deepEqual(textAccountOf('sens-sms', atSimulator, deployment), {
      accountId: generated.accountId,
      secret: generated.secret,
      serviceId: generated.serviceId,
    });
    assert.equal(textBaseUrlOf('sens-sms', atSimulator, deployment), 'http://127.0.0.1:9100/sens-sms');
    const real: TextVendorSettings = {
      ...policy,
      kind: 'sens-sms',
      accountId: 'B'.repeat(20),
      serviceId: 'ncp:sms:kr:2:y',
      credentials: { env: 'SENS_SECRET' },
    };
    assert.deepEqual(textAccountOf('sens-prod', real, deployment), {
      accountId: 'B'.repeat(20),
      secret: 'real-secret',
      serviceId: 'ncp:sms:kr:2:y',
    });
    assert.equal(textBaseUrlOf('sens-prod', real, deployment), 'https://sens.apigw.ntruss.com');
  });
});
