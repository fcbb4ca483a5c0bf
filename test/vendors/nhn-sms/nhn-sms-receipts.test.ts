import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { HeraldError } from '../../../src/core/domain/errors.ts';
import type { Lane } from '../../../src/core/domain/lane.ts';
import type { DeliveryCheck, Vendor, VendorCall } from '../../../src/ports/vendor.ts';
import type { SimulatorServer } from '../../../src/simulators/simulator-server.ts';
import type { TextVendorTrust } from '../../../src/simulators/text/text-trust.ts';
import { FileIdCache } from '../../../src/vendors/file-id-cache.ts';
import {
  createSpanOf,
  kstSecond,
  SENT_AFTER_MS,
  SENT_BEFORE_MS,
  STAMP_MARGIN_MS,
} from '../../../src/vendors/nhn-sms/nhn-receipt-windows.ts';
import {
  NHN_FEW_REQUESTS,
  NHN_MAX_REQUESTS_PER_LOOKUP,
} from '../../../src/vendors/nhn-sms/nhn-sms-receipts.ts';
import { createNhnSmsVendor } from '../../../src/vendors/nhn-sms/nhn-sms-vendor.ts';
import { tallyOf } from '../../simulators/text/receipt-tally-kit.ts';
import { NHN_VENDOR_ID, nhnAccount, startNhnSimulator, textMessage } from './nhn-sms-test-kit.ts';

const signal = () => AbortSignal.timeout(10_000);

describe('nhn-sms receipts at the simulator', () => {
  let account: TextVendorTrust;
  let sim: SimulatorServer;
  let vendor: Vendor;
  let simClock: number;
  /** HTTP requests the look-ups made, each through the VendorCall as the lane would pace it. */
  let requests: number;
  /** herald's send time of each id (what the lane's check records carry). */
  let sentAts: Map<string, number>;
  const call: VendorCall = (request) => {
    requests += 1;
    return request(signal());
  };
  /** Queries as a lane's check records give them; `lane` as the sending lane's, when given. */
  const lookUp = (vendorMessageIds: readonly string[], using = vendor, lane?: Lane) =>
    using.receipts!.lookUp(
      vendorMessageIds.map((id) => ({
        vendorMessageId: id,
        sentAt: sentAts.get(id) ?? simClock,
        ...(lane === undefined ? {} : { lane }),
      })),
      call,
    );
  /** Single sends, one requestId each (the realtime lane's), their send times noted. */
  const sendSingles = async (count: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const { vendorMessageId } = await vendor.send(textMessage(), signal());
      sentAts.set(vendorMessageId, simClock);
      ids.push(vendorMessageId);
    }
    return ids;
  };
  const sendBulk = async (count: number) => {
    const messages = Array.from({ length: count }, () => textMessage({ lane: 'batch' }));
    const sent = await vendor.bulk!.sendMany(messages, signal());
    const ids = sent.map((result) => (result as { vendorMessageId: string }).vendorMessageId);
    for (const id of ids) sentAts.set(id, simClock);
    return ids;
  };

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
    requests = 0;
    sentAts = new Map();
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
    const ids = await sendBulk(40);
    const lms = await vendor.send(textMessage({ channel: 'lms' }), signal());
    sentAts.set(lms.vendorMessageId, simClock);
    assert.equal((await lookUp([...ids, lms.vendorMessageId])).size, 0);
    simClock += 61_000;
    const found = await lookUp([...ids, lms.vendorMessageId]);
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
    const again = await lookUp(ids);
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
      const part = await lookUp(ids.slice(at, at + 1_000));
      for (const [id, check] of part) found.set(id, check);
    }
    await lookUp(ids); // looked up again: counted once
    assert.equal(found.size, 200);
    assert.deepEqual(sim.text.results.tally.counts()[NHN_VENDOR_ID], tallyOf(found.values()));
    assert.deepEqual(sim.stats().receipts[NHN_VENDOR_ID], tallyOf(found.values()));
    const stats = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as {
      receipts: Record<string, unknown>;
    };
    assert.deepEqual(stats.receipts[NHN_VENDOR_ID], tallyOf(found.values()));
  });

  it('asks single sends (a requestId each) by one search of their registration dates', async () => {
    const ids = await sendSingles(30);
    const found = await lookUp(ids);
    assert.equal(requests, 1, 'one search, not 30 lists');
    assert.deepEqual([...found.keys()].sort(), [...ids].sort());
  });

  it("asks a bulk send's ids by requestId: one list each for a few requests", async () => {
    const bulk = await sendBulk(40);
    const [single] = await sendSingles(1);
    const found = await lookUp([...bulk, single!]);
    assert.equal(requests, 2);
    assert.equal(found.size, 41);
  });

  it('asks a few single sends (a realtime look-up) by their own lists, never a window of the flood', async () => {
    await sendBulk(1_000); // a flood's messages, registered in the same second
    const ids = await sendSingles(NHN_FEW_REQUESTS);
    const found = await lookUp(ids);
    assert.equal(requests, NHN_FEW_REQUESTS, 'a list of one row each, not the 1,000 rows around them');
    assert.deepEqual([...found.keys()].sort(), [...ids].sort());
  });

  it('reads the pages of a window until every id asked for is seen, passing over the other rows', async () => {
    await sendBulk(1_000); // registered first, in the same second: page 1 is all theirs
    const ids = await sendSingles(NHN_FEW_REQUESTS + 1);
    const found = await lookUp(ids);
    assert.equal(requests, 2, 'page 1 held none of them, page 2 all of them');
    assert.deepEqual([...found.keys()].sort(), [...ids].sort());
  });

  it("searches the lane's own sends: a realtime window in a batch flood's seconds reads none of the flood", async () => {
    await sendBulk(1_000); // the batch lane's, registered first in the same second
    const ids = await sendSingles(NHN_FEW_REQUESTS + 1);
    const found = await lookUp(ids, vendor, 'realtime');
    assert.equal(requests, 1, "one page of the realtime rows, not the flood's page first");
    assert.deepEqual([...found.keys()].sort(), [...ids].sort());
    assert.equal(sim.stats().listedRows[NHN_VENDOR_ID], ids.length, 'the vendor built their rows only');
    requests = 0;
    assert.equal(
      (await lookUp(ids, vendor, 'batch')).size,
      ids.length,
      "another lane's key: found by their lists",
    );
    assert.equal(requests, 1 + ids.length, 'the window without them, then each by its requestId');
  });

  it('answers the checks that come next from the final rows a search read ahead, each once', async () => {
    const ids = await sendSingles(30);
    const first = ids.slice(0, NHN_FEW_REQUESTS + 1);
    assert.equal((await lookUp(first)).size, first.length);
    assert.equal(requests, 1, 'one page: all 30 rows of the window');
    const rest = await lookUp(ids.slice(first.length));
    assert.deepEqual([...rest.keys()].sort(), ids.slice(first.length).sort());
    assert.equal(requests, 1, 'answered from the rows read ahead, no request');
    assert.equal((await lookUp([ids[0]!])).size, 1);
    assert.equal(requests, 2, 'a check answered already asks NHN again');
    assert.deepEqual(
      sim.text.results.tally.counts()[NHN_VENDOR_ID],
      tallyOf([...(await lookUp(ids)).values()]),
    );
  });

  it('keeps no pending row ahead: a message still in progress is asked again', async () => {
    sim.text.results.resultDelayMs = 60_000;
    const ids = await sendSingles(NHN_FEW_REQUESTS + 2);
    assert.equal((await lookUp(ids.slice(0, NHN_FEW_REQUESTS + 1))).size, 0);
    simClock += 61_000;
    assert.equal((await lookUp(ids.slice(NHN_FEW_REQUESTS + 1))).size, 1);
    assert.equal(requests, 2);
  });

  it('reads at most its page budget a look-up, leaving the rest pending for the next', async () => {
    for (let i = 0; i < NHN_MAX_REQUESTS_PER_LOOKUP + 1; i++) await sendBulk(1_000);
    const ids = await sendSingles(NHN_FEW_REQUESTS + 1);
    const found = await lookUp(ids);
    assert.equal(requests, NHN_MAX_REQUESTS_PER_LOOKUP);
    assert.equal(found.size, 0, 'their rows lie past the budget: pending, asked again later');
  });

  it("finds single sends whatever herald's clock says: the requestId's stamp, else their own lists", async () => {
    const ids = await sendSingles(NHN_FEW_REQUESTS + 1);
    for (const id of ids) sentAts.set(id, simClock + 10_000); // herald 10 s ahead: the stamp rules
    assert.equal((await lookUp(ids)).size, ids.length);
    assert.equal(requests, 1);
    requests = 0;
    for (const id of ids) sentAts.set(id, simClock - 3_600_000); // an hour off: an empty window
    assert.equal((await lookUp(ids)).size, ids.length);
    assert.equal(requests, 1 + ids.length, 'the empty window, then each one by its requestId');
  });

  it('puts each registration between the margins: around the stamp, else around the send time', () => {
    const at = Date.parse('2026-03-01T12:00:00.000+09:00');
    const stamped = '20260301120000AbCdEfGhIjK';
    assert.equal(kstSecond(at + 999), '2026-03-01 12:00:00');
    assert.deepEqual(createSpanOf(stamped, at + 700), {
      from: at,
      to: at + 1_000 + STAMP_MARGIN_MS,
    });
    assert.deepEqual(createSpanOf(stamped, at + SENT_BEFORE_MS + 1_000), {
      from: at + 1_000,
      to: at + SENT_BEFORE_MS + 1_000 + SENT_AFTER_MS,
    });
    assert.deepEqual(createSpanOf('1-201607-424631-1', at), {
      from: at - SENT_BEFORE_MS,
      to: at + SENT_AFTER_MS,
    });
  });

  it('refuses a wrong secret key on the look-up', async () => {
    await vendor.send(textMessage(), signal());
    const impostor = vendorWith('wrong-secret');
    try {
      const refused = await lookUp(['20260101000000AAAAAAAAAAA:1'], impostor).then(
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
    await lookUp([one.vendorMessageId]);
    const throttled = await lookUp([two.vendorMessageId]).then(
      () => assert.fail('the look-up should have been throttled'),
      (error: unknown) => error as HeraldError,
    );
    assert.equal(throttled.code, 'HERALD_VENDOR_RATE_LIMITED');
    assert.equal(throttled.retryable, true);
    assert.ok((throttled.retryAfterMs ?? 0) >= 1_000);
  });
});
