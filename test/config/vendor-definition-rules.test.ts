import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findRemoteConfigProblems } from '../../src/api/remote-config-rules.ts';
import { DEFAULT_REMOTE_CONFIG, SIMULATOR_VENDORS } from '../../src/config/default-remote-config.ts';

const problemsOf = (document: unknown, simulated = SIMULATOR_VENDORS) =>
  findRemoteConfigProblems(document, simulated);

// biome-ignore lint/suspicious/noExplicitAny: tests break documents in ways the type forbids
const mutable = (): any => JSON.parse(JSON.stringify(DEFAULT_REMOTE_CONFIG));
const policy = { timeoutMs: 5_000, breakerThreshold: 5, breakerHalfOpenAfterMs: 10_000 };

function assertProblems(problems: readonly string[], expected: readonly RegExp[]): void {
  assert.equal(problems.length, expected.length, problems.join('\n'));
  for (const pattern of expected) {
    assert.ok(
      problems.some((problem) => pattern.test(problem)),
      `${pattern.source} in:\n${problems.join('\n')}`,
    );
  }
}

describe('vendor definitions in the remote config', () => {
  it('gives the default config the real push and text adapters at the simulator, and a kind to every vendor', () => {
    const { vendors } = DEFAULT_REMOTE_CONFIG;
    const text = /^((nhn|sens|solapi)-(sms|alimtalk)|solapi-vms)$/;
    assert.deepEqual(
      Object.entries(vendors).map(([id, v]) => [id, v.kind, 'endpoint' in v ? v.endpoint : undefined]),
      Object.keys(vendors).map((id) =>
        /^fcm/.test(id)
          ? [id, 'fcm', 'simulator']
          : /^apns/.test(id)
            ? [id, 'apns', 'simulator']
            : text.test(id) || id === 'smtp' || id === 'ses'
              ? [id, id, 'simulator']
              : [id, 'simulator', undefined],
      ),
    );
  });

  it('accepts real FCM and APNs vendors that reference their secrets, and routes push to them', () => {
    const document = mutable();
    document.vendors['fcm-prod'] = {
      ...policy,
      kind: 'fcm',
      projectId: 'shop-prod-1234',
      credentials: { file: '/etc/herald/fcm.json' },
    };
    document.vendors['apns-prod'] = {
      ...policy,
      kind: 'apns',
      environment: 'production',
      keyId: 'ABC123DEFG',
      teamId: 'TEAM123456',
      key: { env: 'HERALD_APNS_KEY' },
      topic: 'com.example.shop',
    };
    document.routing.push = [
      { vendor: 'fcm-prod', weight: 100 },
      { vendor: 'apns-prod', weight: 100 },
    ];
    assert.deepEqual(problemsOf(document), []);
    // A deployment without a simulator can still route to them.
    document.routing = Object.fromEntries(
      Object.keys(document.routing).map((c) => [c, document.routing.push]),
    );
    for (const id of Object.keys(document.vendors)) {
      if (!id.endsWith('-prod')) delete document.vendors[id];
    }
    assertProblems(problemsOf(document, new Map()), [
      /^routing\.sms\[0\]: vendor "fcm-prod" does not serve sms/,
      /^routing\.sms\[1\]: vendor "apns-prod" does not serve sms/,
      /^routing\.lms\[0\]/,
      /^routing\.lms\[1\]/,
      /^routing\.mms\[0\]/,
      /^routing\.mms\[1\]/,
      /^routing\.alimtalk\[0\]/,
      /^routing\.alimtalk\[1\]/,
      /^routing\.email\[0\]/,
      /^routing\.email\[1\]/,
      /^routing\.vms\[0\]/,
      /^routing\.vms\[1\]/,
    ]);
  });

  it('lists every problem of the definitions at once, each naming its field', () => {
    const document = mutable();
    document.vendors['fcm-prod'] = {
      ...policy,
      kind: 'fcm',
      endpoint: 'https://fcm.googleapis.com',
      topic: 'x',
    };
    document.vendors['apns-prod'] = { ...policy, kind: 'apns', endpoint: 'https://api.push.apple.com' };
    document.vendors['sim-email'] = { ...document.vendors['sim-email'], endpoint: 'simulator' };
    document.vendors['fcm-b'] = { ...document.vendors['fcm-b'], credentials: { file: '/a', env: 'B' } };
    document.vendors.apns = { ...document.vendors.apns, keyId: 'ABC123DEFG' };
    document.vendors['fcm-c'] = { ...policy, kind: 'fcm', endpoint: 'simulator' };
    assertProblems(problemsOf(document), [
      /^vendors\.fcm-prod\.topic is a setting of kind apns, and vendor "fcm-prod" is of kind fcm/,
      /^vendors\.fcm-prod\.credentials is required for a real FCM endpoint: name the service-account key file/,
      /^vendors\.apns-prod\.environment is required for kind apns/,
      /^vendors\.apns-prod\.keyId is required/,
      /^vendors\.apns-prod\.teamId is required/,
      /^vendors\.apns-prod\.key is required for a real APNs endpoint: name the \.p8 file/,
      /^vendors\.sim-email\.endpoint is a setting of the kinds fcm, apns, nhn-sms, .*, and vendor "sim-email" is of kind simulator/,
      /^vendors\.fcm-b\.credentials: with endpoint "simulator" the adapter uses the simulator's generated service account/,
      /^vendors\.apns\.keyId: with endpoint "simulator" the adapter uses the simulator's generated \.p8 key/,
      /^vendors\.fcm-c\.endpoint is "simulator", but the simulator serves FCM only as fcm, fcm-b/,
    ]);
  });

  it('wants exactly one of file and env in a secret reference', () => {
    const document = mutable();
    document.vendors['fcm-prod'] = { ...policy, kind: 'fcm', credentials: { file: '/a', env: 'B' } };
    document.vendors['apns-prod'] = {
      ...policy,
      kind: 'apns',
      environment: 'sandbox',
      keyId: 'ABC123DEFG',
      teamId: 'TEAM123456',
      key: {},
    };
    assertProblems(problemsOf(document), [
      /^vendors\.fcm-prod\.credentials must name exactly one of file or env/,
      /^vendors\.apns-prod\.key must name exactly one of file or env/,
    ]);
  });

  it('refuses an endpoint that is not https, carries credentials, or a query; and a bad env name', () => {
    const document = mutable();
    const fcm = (endpoint: string) => ({ ...policy, kind: 'fcm', endpoint, credentials: { env: 'FCM_SA' } });
    document.vendors['fcm-1'] = fcm('http://fcm.googleapis.com');
    document.vendors['fcm-2'] = fcm('https://user:secret@fcm.example.com');
    document.vendors['fcm-3'] = fcm('https://fcm.example.com/?token=x');
    document.vendors['fcm-4'] = {
      ...fcm('https://fcm.example.com:8443/base'),
      credentials: { env: 'NOT-A-NAME' },
    };
    assertProblems(problemsOf(document), [
      /^vendors\.fcm-1\.endpoint does not match the expected format/,
      /^vendors\.fcm-2\.endpoint does not match the expected format/,
      /^vendors\.fcm-3\.endpoint does not match the expected format/,
      /^vendors\.fcm-4\.credentials\.env does not match the expected format/,
    ]);
  });

  it('refuses push vendors at the simulator when this deployment runs none', () => {
    const document = mutable();
    for (const id of Object.keys(document.vendors)) if (!/^(fcm|apns)/.test(id)) delete document.vendors[id];
    const problems = problemsOf(document, new Map()).filter((p) => p.startsWith('vendors.'));
    assertProblems(problems, [
      /^vendors\.fcm\.endpoint is "simulator", but no simulator runs in this deployment \(HERALD_SIMULATORS=off\)/,
      /^vendors\.fcm-b\.endpoint is "simulator", but no simulator runs/,
      /^vendors\.apns\.endpoint is "simulator", but no simulator runs/,
      /^vendors\.apns-b\.endpoint is "simulator", but no simulator runs/,
    ]);
  });

  it('takes a vendor without a kind (stored by an older herald) as a simulator', () => {
    const document = mutable();
    const { kind: _, ...withoutKind } = document.vendors['sim-email'];
    document.vendors['sim-email'] = withoutKind;
    assert.deepEqual(problemsOf(document), []);
  });
});
