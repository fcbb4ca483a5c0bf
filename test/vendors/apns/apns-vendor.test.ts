import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { HeraldError } from '../../../src/core/domain/errors.ts';
import type { OutboundMessage } from '../../../src/core/domain/message.ts';
import type { Vendor } from '../../../src/ports/vendor.ts';
import { type SimulatorServer, startSimulatorServer } from '../../../src/simulators/simulator-server.ts';
import { createApnsVendor } from '../../../src/vendors/apns/apns-vendor.ts';
import { ApnsKeyError } from '../../../src/vendors/apns/p8-key.ts';
import { apnsMessage, apnsTestCredentials } from './apns-test-kit.ts';

const MINUTE = 60_000;

interface Rig {
  readonly sim: SimulatorServer;
  readonly vendor: Vendor;
  /** Moves herald's clock (the provider token's iat and age). */
  readonly herald: { offsetMs: number };
  /** Moves the simulator's clock (how APNs judges the token's age and its renewals). */
  readonly apple: { offsetMs: number };
}

const rigs: Rig[] = [];

async function rig(options: { renewTokenAfterMs?: number; trustOtherKey?: boolean } = {}): Promise<Rig> {
  const credentials = apnsTestCredentials();
  const trusted = options.trustOtherKey === true ? apnsTestCredentials().trust : credentials.trust;
  const herald = { offsetMs: 0 };
  const apple = { offsetMs: 0 };
  const sim = await startSimulatorServer({
    vendors: { apns: {} },
    pushTrust: { apns: { apns: trusted } },
    epochNow: () => Date.now() + apple.offsetMs,
  });
  const vendor = createApnsVendor({
    id: 'apns',
    keyId: credentials.keyId,
    teamId: credentials.teamId,
    privateKeyPem: credentials.privateKeyPem,
    environment: 'production',
    baseUrl: `${sim.url}/apns`,
    renewTokenAfterMs: options.renewTokenAfterMs,
    now: () => Date.now() + herald.offsetMs,
  });
  const created = { sim, vendor, herald, apple };
  rigs.push(created);
  return created;
}

async function failure(vendor: Vendor, message: OutboundMessage): Promise<HeraldError> {
  const error = await vendor.send(message, AbortSignal.timeout(10_000)).then(
    () => assert.fail('the send should have failed'),
    (cause: unknown) => cause as HeraldError,
  );
  assert.equal(error.name, 'HeraldError');
  return error;
}

/** Both clocks move together, as on one machine. */
function advance(target: Rig, ms: number): void {
  target.herald.offsetMs += ms;
  target.apple.offsetMs += ms;
}

afterEach(async () => {
  for (const { vendor, sim } of rigs.splice(0)) {
    await vendor.close();
    await sim.close();
  }
});

describe('APNs vendor against the simulator', () => {
  it('fails a token the simulator declared dead with HERALD_TOKEN_INVALID (Unregistered), for good', async () => {
    const { sim, vendor } = await rig();
    const message = apnsMessage();
    sim.markTokensDead('apns', [message.to]);
    const error = await failure(vendor, message);
    assert.deepEqual(
      [error.code, error.retryable, error.vendorCode],
      ['HERALD_TOKEN_INVALID', false, 'Unregistered'],
    );
    assert.equal(sim.countFor('apns', message.messageId), 0);
  });

  it('under load, changes its provider token no sooner than 20 min and within 50 min', async () => {
    for (const renewTokenAfterMs of [undefined, 50 * MINUTE]) {
      const target = await rig({ renewTokenAfterMs });
      const changedAt: number[] = [];
      let accepted = 0;
      // Two hours, a minute at a time, 50 sends in flight each minute: every one must be taken
      // (the simulator answers 429 TooManyProviderTokenUpdates to a switch within 20 min).
      for (let minute = 0; minute <= 120; minute += 1) {
        const messages = Array.from({ length: 50 }, () => apnsMessage());
        await Promise.all(
          messages.map((message) => target.vendor.send(message, AbortSignal.timeout(10_000))),
        );
        if (target.sim.providerTokensAccepted('apns') !== accepted) changedAt.push(minute);
        accepted = target.sim.providerTokensAccepted('apns');
        advance(target, MINUTE);
      }
      const expected = renewTokenAfterMs === undefined ? [0, 40, 80, 120] : [0, 50, 100];
      assert.deepEqual(changedAt, expected, `renewal minutes with renewTokenAfterMs ${renewTokenAfterMs}`);
    }
  });

  it('renews the provider token once on 403 ExpiredProviderToken and delivers', async () => {
    const target = await rig();
    await target.vendor.send(apnsMessage(), AbortSignal.timeout(10_000));
    // Apple's clock runs 40 min ahead of ours: at 21 min by our clock the token is 61 min old to it.
    target.herald.offsetMs += 21 * MINUTE;
    target.apple.offsetMs += 61 * MINUTE;
    const message = apnsMessage();
    await target.vendor.send(message, AbortSignal.timeout(10_000));
    assert.equal(target.sim.countFor('apns', message.messageId), 1);
    assert.equal(target.sim.providerTokensAccepted('apns'), 2);
  });

  it('reports the vendor unhealthy when the renewed token is refused too, and renews early no more within 20 min', async () => {
    const target = await rig();
    target.apple.offsetMs += 120 * MINUTE;
    const error = await failure(target.vendor, apnsMessage());
    assert.deepEqual(
      [error.code, error.retryable, error.vendorFault, error.vendorCode],
      ['HERALD_VENDOR_UNAVAILABLE', true, true, 'ExpiredProviderToken'],
    );
    assert.equal((await failure(target.vendor, apnsMessage())).vendorCode, 'ExpiredProviderToken');
    assert.equal(target.sim.providerTokensAccepted('apns'), 0);
    // Our clock is put right: the token is 2 h old by it, so the next send signs a new one.
    target.herald.offsetMs += 120 * MINUTE;
    const message = apnsMessage();
    await target.vendor.send(message, AbortSignal.timeout(10_000));
    assert.equal(target.sim.countFor('apns', message.messageId), 1);
  });

  it('reports the vendor unhealthy when APNs does not know its key (InvalidProviderToken)', async () => {
    const { vendor, sim } = await rig({ trustOtherKey: true });
    const error = await failure(vendor, apnsMessage());
    assert.deepEqual(
      [error.code, error.vendorFault, error.vendorCode],
      ['HERALD_VENDOR_UNAVAILABLE', true, 'InvalidProviderToken'],
    );
    assert.equal(sim.stats().vendors.apns?.received ?? 0, 0);
  });

  it('refuses a bad key when created, naming the vendor and not the key', () => {
    const pem = apnsTestCredentials().privateKeyPem;
    const damaged = pem.replace(/\n[A-Za-z0-9+/]{10}/, '\n!!');
    assert.throws(
      () =>
        createApnsVendor({
          id: 'apns-b',
          keyId: 'K',
          teamId: 'T',
          privateKeyPem: damaged,
          environment: 'sandbox',
        }),
      (error: unknown) =>
        error instanceof ApnsKeyError &&
        /vendor apns-b/.test(error.message) &&
        !error.message.includes(pem.split('\n')[1]!),
    );
  });
});
