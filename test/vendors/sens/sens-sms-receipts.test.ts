import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { HeraldError } from '../../../src/core/domain/errors.ts';
import type { DeliveryCheck, Vendor, VendorCall } from '../../../src/ports/vendor.ts';
import { FileIdCache } from '../../../src/vendors/file-id-cache.ts';
import { createSensSmsVendor } from '../../../src/vendors/sens/sens-sms-vendor.ts';
import { tallyOf } from '../../simulators/text/receipt-tally-kit.ts';
import { countingCall, queriesOf } from '../../support/receipt-queries.ts';
import { type SensSim, SMS_ACCOUNT, smsMessage, startSensSim } from './sens-test-kit.ts';

const VENDOR = 'sens-sms';
const signal = () => AbortSignal.timeout(10_000);

describe('sens-sms receipts at the SENS simulator', () => {
  let sens: SensSim;
  let vendor: Vendor;
  let clock: number;

  const vendorWith = (secretKey: string) =>
    createSensSmsVendor({
      id: VENDOR,
      baseUrl: sens.baseUrl(VENDOR),
      account: { ...SMS_ACCOUNT, secretKey },
      fileIds: new FileIdCache(),
      now: () => clock,
    });

  beforeEach(async () => {
    clock = Date.now();
    sens = await startSensSim({ epochNow: () => clock });
    vendor = vendorWith(SMS_ACCOUNT.secretKey);
  });
  afterEach(async () => {
    await vendor.close();
    await sens.close();
  });

  /** Sends `count` messages in calls of up to 100 (SENS' limit); one receipt id per message. */
  const sendAll = async (count: number, to?: string): Promise<string[]> => {
    const ids: string[] = [];
    for (let at = 0; at < count; at += 100) {
      const messages = Array.from({ length: Math.min(100, count - at) }, () =>
        smsMessage({ lane: 'batch', ...(to ? { to } : {}) }),
      );
      for (const result of await vendor.bulk!.sendMany(messages, signal())) {
        ids.push((result as { vendorMessageId: string }).vendorMessageId);
      }
    }
    return ids;
  };

  const lookUpAll = async (ids: readonly string[]): Promise<Map<string, DeliveryCheck>> => {
    const found = new Map<string, DeliveryCheck>();
    const { maxIdsPerCall } = vendor.receipts!;
    for (let at = 0; at < ids.length; at += maxIdsPerCall) {
      for (const [id, check] of await vendor.receipts!.lookUp(
        queriesOf(ids.slice(at, at + maxIdsPerCall)),
        countingCall(signal),
      )) {
        found.set(id, check);
      }
    }
    return found;
  };

  it('gives each message of a call its own receipt id, even the same number twice', async () => {
    const ids = await sendAll(3, '01012345678');
    assert.equal(new Set(ids).size, 3);
    assert.ok(ids.every((id) => !id.includes('01012345678')));
    assert.deepEqual([...(await lookUpAll(ids)).keys()].sort(), [...ids].sort());
  });

  it('leaves messages out while pending, then reports delivered or not with carrier and code', async () => {
    sens.sim.text.results.resultDelayMs = 60_000;
    sens.sim.text.results.mix = {
      carriers: { SKT: 1, KT: 1, 'LGU+': 1, MVNO: 1 },
      undeliveredShare: 0.3,
      seed: 5,
    };
    const ids = await sendAll(60);
    assert.equal((await lookUpAll(ids)).size, 0);
    clock += 61_000;
    const found = await lookUpAll(ids);
    assert.equal(found.size, 60);
    const checks = [...found.values()] as Exclude<DeliveryCheck, { state: 'pending' }>[];
    assert.ok(checks.some((check) => check.state === 'delivered' && check.code === '0'));
    const undelivered = checks.filter((check) => check.state === 'undelivered');
    assert.ok(undelivered.length > 0);
    assert.ok(
      undelivered.every((check) => check.state === 'undelivered' && !check.fallback && check.message),
    );
    // SENS names SKT, KT and LGT: MVNO subscribers come under the network they ride on.
    assert.deepEqual(new Set(checks.map((check) => check.carrier)), new Set(['SKT', 'KT', 'LGU+']));
  });

  it("counts in the simulator's stats exactly what the adapter reported, for 200 messages", async () => {
    const ids = await sendAll(200);
    const found = await lookUpAll(ids);
    await lookUpAll(ids.slice(0, 50));
    assert.equal(found.size, 200);
    assert.deepEqual(sens.sim.text.results.tally.counts()[VENDOR], tallyOf(found.values()));
  });

  it('makes each of its requests (the list, then each result) through the lane call', async () => {
    const ids = await sendAll(3);
    const call = countingCall(signal);
    const found = await vendor.receipts!.lookUp(queriesOf(ids), call);
    assert.equal(found.size, 3);
    assert.equal(call.requests(), 1 + 3);
  });

  it('leaves only the message whose result request failed pending, and answers the others', async () => {
    const ids = await sendAll(4);
    clock += 61_000;
    const inner = countingCall(signal);
    let requests = 0;
    // The third request (a result, after the list and one result) fails as a time limit would.
    const call: VendorCall = (request) => {
      requests += 1;
      return requests === 3 ? Promise.reject(new Error('timed out')) : inner(request);
    };
    const found = await vendor.receipts!.lookUp(queriesOf(ids), call);
    assert.equal(requests, 1 + 4);
    assert.equal(found.size, 3);
  });

  it('refuses a bad signature on the look-up', async () => {
    const ids = await sendAll(1);
    const impostor = vendorWith('not-the-secret-key-0123456789abcdefghijk');
    try {
      const refused = await impostor.receipts!.lookUp(queriesOf(ids), countingCall(signal)).then(
        () => assert.fail('the look-up should have been refused'),
        (error: unknown) => error as HeraldError,
      );
      assert.equal(refused.code, 'HERALD_VENDOR_AUTH');
    } finally {
      await impostor.close();
    }
  });

  it("maps SENS' 429 on its look-up to a retryable HeraldError", async () => {
    const ids = await sendAll(2);
    sens.sim.text.lookUps.set(VENDOR, 1);
    const throttled = await vendor.receipts!.lookUp(queriesOf(ids), countingCall(signal)).then(
      () => assert.fail('the look-up should have been throttled'),
      (error: unknown) => error as HeraldError,
    );
    assert.equal(throttled.code, 'HERALD_VENDOR_RATE_LIMITED');
    assert.equal(throttled.retryable, true);
  });
});
