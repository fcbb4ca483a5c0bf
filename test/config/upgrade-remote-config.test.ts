import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findRemoteConfigProblems } from '../../src/api/remote-config-rules.ts';
import { DEFAULT_REMOTE_CONFIG, SIMULATOR_VENDORS } from '../../src/config/default-remote-config.ts';
import { upgradeRemoteConfig } from '../../src/config/upgrade-remote-config.ts';
import {
  documentBeforeKinds,
  documentBeforeSmtp,
  documentBeforeTextVendors,
  OLDER_POLICY,
} from '../support/older-remote-config.ts';

const policy = OLDER_POLICY;

describe('upgradeRemoteConfig', () => {
  it('turns sim-fcm and sim-apns into fcm and apns at the simulator, keeping weights and limits', () => {
    const old = documentBeforeKinds();
    assert.ok(
      findRemoteConfigProblems(old, SIMULATOR_VENDORS).length > 0,
      'the old document is refused as it is',
    );
    const upgrade = upgradeRemoteConfig(old)!;
    // biome-ignore lint/suspicious/noExplicitAny: reading the upgraded document
    const document = upgrade.document as any;
    assert.deepEqual(findRemoteConfigProblems(document, SIMULATOR_VENDORS), []);
    assert.deepEqual(document.routing.push, [
      { vendor: 'fcm', weight: 70 },
      { vendor: 'apns', weight: 30 },
    ]);
    assert.deepEqual(document.vendors.fcm, { ...policy, kind: 'fcm', endpoint: 'simulator' });
    assert.deepEqual(document.vendors.apns, {
      ...policy,
      timeoutMs: 3_000,
      kind: 'apns',
      endpoint: 'simulator',
      environment: 'sandbox',
    });
    assert.equal(document.vendors['sim-fcm'], undefined);
    assert.deepEqual(
      upgrade.changes.filter((change) => /fcm|apns/.test(change)),
      [
        'routing.push: sim-fcm is now fcm',
        'routing.push: sim-apns is now apns',
        'vendors.sim-fcm is now vendors.fcm (kind fcm, endpoint simulator)',
        'vendors.sim-apns is now vendors.apns (kind apns, endpoint simulator)',
      ],
    );
    assert.equal(old.vendors['sim-fcm'], policy, 'the stored document is left alone');
  });

  it('turns the generic SMS and Kakao simulators into the NHN, SENS and SOLAPI adapters at the simulator', () => {
    const old = documentBeforeTextVendors();
    old.vendors['sim-sms-b'] = { ...old.vendors['sim-sms-b'], timeoutMs: 2_500 };
    old.routing.sms = [
      { vendor: 'sim-sms-a', weight: 10 },
      { vendor: 'sim-sms-b', weight: 90 },
    ];
    const upgrade = upgradeRemoteConfig(old)!;
    // biome-ignore lint/suspicious/noExplicitAny: reading the upgraded document
    const document = upgrade.document as any;
    assert.deepEqual(findRemoteConfigProblems(document, SIMULATOR_VENDORS), []);
    assert.deepEqual(document.routing.sms, [
      { vendor: 'nhn-sms', weight: 10 },
      { vendor: 'sens-sms', weight: 90 },
    ]);
    assert.deepEqual(document.routing.alimtalk, DEFAULT_REMOTE_CONFIG.routing.alimtalk);
    assert.equal(document.vendors['sens-sms'].timeoutMs, 2_500);
    assert.equal(document.vendors['sens-sms'].kind, 'sens-sms');
    assert.equal(document.vendors['sens-sms'].endpoint, 'simulator');
    assert.equal(document.vendors['sim-kakao-c'], undefined);
    assert.ok(
      upgrade.changes.includes(
        'vendors.sim-kakao-c is now vendors.solapi-alimtalk (kind solapi-alimtalk, endpoint simulator)',
      ),
    );
    assert.ok(upgrade.changes.includes('routing.sms: sim-sms-b is now sens-sms'));
  });

  it('turns the generic VMS simulator sim-vms into solapi-vms, SOLAPI voice message at the simulator', () => {
    const old = documentBeforeTextVendors();
    old.vendors['sim-vms'] = { ...old.vendors['sim-vms'], timeoutMs: 6_000 };
    assert.deepEqual(old.routing.vms, [{ vendor: 'sim-vms', weight: 100 }]);
    const upgrade = upgradeRemoteConfig(old)!;
    // biome-ignore lint/suspicious/noExplicitAny: reading the upgraded document
    const document = upgrade.document as any;
    assert.deepEqual(findRemoteConfigProblems(document, SIMULATOR_VENDORS), []);
    assert.deepEqual(document.routing.vms, [{ vendor: 'solapi-vms', weight: 100 }]);
    assert.deepEqual(
      [document.vendors['solapi-vms'].kind, document.vendors['solapi-vms'].endpoint],
      ['solapi-vms', 'simulator'],
    );
    assert.equal(document.vendors['solapi-vms'].timeoutMs, 6_000, 'its policy is kept');
    assert.equal(document.vendors['sim-vms'], undefined);
    assert.ok(upgrade.changes.includes('routing.vms: sim-vms is now solapi-vms'));
    assert.ok(
      upgrade.changes.includes(
        'vendors.sim-vms is now vendors.solapi-vms (kind solapi-vms, endpoint simulator)',
      ),
    );
  });

  it('gives fcm and apns stored without a kind their kind, and drops an old vendor routed twice', () => {
    // biome-ignore lint/suspicious/noExplicitAny: an older document, not of today's type
    const document: any = JSON.parse(JSON.stringify(DEFAULT_REMOTE_CONFIG));
    document.vendors.fcm = policy;
    document.vendors['sim-fcm'] = policy;
    document.routing.push = [...document.routing.push, { vendor: 'sim-fcm', weight: 5 }];
    const upgrade = upgradeRemoteConfig(document)!;
    assert.deepEqual(findRemoteConfigProblems(upgrade.document, SIMULATOR_VENDORS), []);
    assert.deepEqual(upgrade.changes, [
      'routing.push: sim-fcm dropped (fcm is routed already)',
      'vendors.sim-fcm dropped (vendors.fcm is defined already)',
      'vendors.fcm gets kind fcm, endpoint simulator',
    ]);
  });

  it('leaves a current document, and one of the wrong shape, as they are', () => {
    assert.equal(upgradeRemoteConfig(DEFAULT_REMOTE_CONFIG), undefined);
    assert.equal(upgradeRemoteConfig('a string'), undefined);
    assert.equal(upgradeRemoteConfig({ routing: [] }), undefined);
  });

  it('leaves a document of before smtp with e-mail on sim-email: it still exists, nothing to rename', () => {
    const old = documentBeforeSmtp();
    assert.deepEqual(findRemoteConfigProblems(old, SIMULATOR_VENDORS), []);
    assert.equal(upgradeRemoteConfig(old), undefined);
  });
});
