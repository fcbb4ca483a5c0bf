import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { HeraldError } from '../../../src/core/domain/errors.ts';
import type { DeliveryCheck, Vendor } from '../../../src/ports/vendor.ts';
import type { SimulatorServer } from '../../../src/simulators/simulator-server.ts';
import type { TextVendorTrust } from '../../../src/simulators/text/text-trust.ts';
import { FileIdCache } from '../../../src/vendors/file-id-cache.ts';
import { createNhnSmsVendor } from '../../../src/vendors/nhn-sms/nhn-sms-vendor.ts';
import { tallyOf } from '../../simulators/text/receipt-tally-kit.ts';
import { NHN_VENDOR_ID, nhnAccount, startNhnSimulator, textMessage } from './nhn-sms-test-kit.ts';

const signal = () => AbortSignal.timeout(10_000);

describe('nhn-sms receipts at the simulator', () => {
  let account: TextVendorTrust;
  let sim: SimulatorServer;
  let vendor: Vendor;
  let simClock: number;

  const vendorWith = (secretKey: string) =>
    createNhnSmsVendor({
      id: NHN_VENDOR_ID,
      baseUrl: `${sim.url}/${NHN_VENDOR_ID}`,
      appKey: account.accountId,
      secretKey,
      fileIds: new FileIdCache(),
    });

  beforeEach(async () => {
    account = nhnAccount();
    simClock = Date.now();
    sim = await startNhnSimulator(account, () => simClock);
    vendor = vendorWith(account.secret);
  });
  afterEach(async () => {
    await vendor.close();
    await sim.close();
  });

  it('states the documented limits and delivery timeouts', () => {
    const receipts = vendor.receipts!;
    assert.equal(receipts.maxIdsPerCall, 1_000);
    assert.ok(receipts.callsPerSecond > 0);
    assert.equal(receipts.deliveryTimeoutMs('sms'), 25 * 3_600_000);
    assert.equal(receipts.deliveryTimeoutMs('lms'), 80 * 3_600_000);
    assert.equal(receipts.deliveryTimeoutMs('mms'), 80 * 3_600_000);
  });

  it('leaves messages out while pending, then reports each delivered or not with carrier and code', async () => {
    sim.text.results.resultDelayMs = 60_000;
    sim.text.results.mix = {
      carriers: { SKT: 1, KT: 1, 'LGU+': 1, MVNO: 1 },
      undeliveredShare: 0.3,
      seed: 7,
    };
    const messages = Array.from({ length: 40 }, () => textMessage({ lane: 'batch' }));
    const sent = await vendor.bulk!.sendMany(messages, signal());
    const ids = sent.map((result) => (result as { vendorMessageId: string }).vendorMessageId);
    const lms = await vendor.send(textMessage({ channel: 'lms' }), signal());
    assert.equal((await vendor.receipts!.lookUp([...ids, lms.vendorMessageId], signal())).size, 0);
    simClock += 61_000;
    const found = await vendor.receipts!.lookUp([...ids, lms.vendorMessageId], signal());
    assert.equal(found.size, 41);
    const checks = [...found.values()] as Exclude<DeliveryCheck, { state: 'pending' }>[];
    const delivered = checks.filter((check) => check.state === 'delivered');
    const undelivered = checks.filter((check) => check.state === 'undelivered');
    assert.ok(delivered.length > 0 && undelivered.length > 0);
    assert.ok(delivered.every((check) => check.code === '1000'));
    for (const check of undelivered) {
      assert.match(check.code, /^[23]\d{3}$/);
      assert.equal(check.state === 'undelivered' && check.fallback, false);
      assert.ok(check.state === 'undelivered' && check.message.length > 0);
    }
    // NHN names SKT, KT and LG U+ only: MVNO subscribers come under the network they ride on.
    assert.deepEqual(new Set(checks.map((check) => check.carrier)), new Set(['SKT', 'KT', 'LGU+']));
    assert.ok(checks.every((check) => Math.abs(check.at - simClock) < 120_000));
    const again = await vendor.receipts!.lookUp(ids, signal());
    assert.deepEqual(
      [...again].map(([id, check]) => [id, check.state]),
      ids.map((id) => [id, found.get(id)!.state]),
    );
  });

  it("counts in the simulator's stats exactly what the adapter reported, for 200 messages", async () => {
    const messages = Array.from({ length: 200 }, () => textMessage({ lane: 'batch' }));
    const ids: string[] = [];
    for (let at = 0; at < messages.length; at += 50) {
      const sent = await vendor.bulk!.sendMany(messages.slice(at, at + 50), signal());
      for (const result of sent) ids.push((result as { vendorMessageId: string }).vendorMessageId);
    }
    const found = new Map<string, DeliveryCheck>();
    for (let at = 0; at < ids.length; at += vendor.receipts!.maxIdsPerCall) {
      const part = await vendor.receipts!.lookUp(ids.slice(at, at + 1_000), signal());
      for (const [id, check] of part) found.set(id, check);
    }
    await vendor.receipts!.lookUp(ids, signal()); // looked up again: counted once
    assert.equal(found.size, 200);
    assert.deepEqual(sim.text.results.tally.counts()[NHN_VENDOR_ID], tallyOf(found.values()));
    assert.deepEqual(sim.stats().receipts[NHN_VENDOR_ID], tallyOf(found.values()));
    const stats = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as {
      receipts: Record<string, unknown>;
    };
    assert.deepEqual(stats.receipts[NHN_VENDOR_ID], tallyOf(found.values()));
  });

  it('refuses a wrong secret key on the look-up', async () => {
    await vendor.send(textMessage(), signal());
    const impostor = vendorWith('wrong-secret');
    try {
      const refused = await impostor.receipts!.lookUp(['20260101000000AAAAAAAAAAA:1'], signal()).then(
        () => assert.fail('the look-up should have been refused'),
        (error: unknown) => error as HeraldError,
      );
      assert.equal(refused.code, 'HERALD_VENDOR_AUTH');
      assert.equal(refused.vendorCode, '-1004');
    } finally {
      await impostor.close();
    }
  });

  it("maps NHN's 429 on its look-up to a retryable HeraldError", async () => {
    const one = await vendor.send(textMessage(), signal());
    const two = await vendor.send(textMessage(), signal());
    sim.text.lookUps.set(NHN_VENDOR_ID, 1);
    await vendor.receipts!.lookUp([one.vendorMessageId], signal());
    const throttled = await vendor.receipts!.lookUp([two.vendorMessageId], signal()).then(
      () => assert.fail('the look-up should have been throttled'),
      (error: unknown) => error as HeraldError,
    );
    assert.equal(throttled.code, 'HERALD_VENDOR_RATE_LIMITED');
    assert.equal(throttled.retryable, true);
    assert.ok((throttled.retryAfterMs ?? 0) >= 1_000);
  });
});
