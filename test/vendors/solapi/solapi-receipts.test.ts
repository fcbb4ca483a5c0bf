import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { HeraldError } from '../../../src/core/domain/errors.ts';
import type { DeliveryCheck, Vendor } from '../../../src/ports/vendor.ts';
import { type SimulatorServer, startSimulatorServer } from '../../../src/simulators/simulator-server.ts';
import { DEFAULT_RECEIPT_MIX } from '../../../src/simulators/text/receipt-mix.ts';
import type { SolapiAccount } from '../../../src/vendors/solapi/solapi-api.ts';
import { createSolapiSmsVendor } from '../../../src/vendors/solapi/solapi-sms-vendor.ts';
import { createSolapiVmsVendor } from '../../../src/vendors/solapi/solapi-vms-vendor.ts';
import { tallyOf } from '../../simulators/text/receipt-tally-kit.ts';
import { countingCall, queriesOf } from '../../support/receipt-queries.ts';
import { smsMessage, solapiAccount, solapiSimulator, vmsMessage } from './solapi-test-kit.ts';

const VENDOR = 'solapi-sms';
const signal = () => AbortSignal.timeout(10_000);

describe('solapi-sms receipts at the simulator', () => {
  let account: SolapiAccount;
  let sim: SimulatorServer;
  let vendor: Vendor;
  let simClock: number;

  beforeEach(async () => {
    account = solapiAccount();
    simClock = Date.now();
    sim = await startSimulatorServer({
      vendors: { [VENDOR]: {} },
      textTrust: { [VENDOR]: { kind: VENDOR, accountId: account.apiKey, secret: account.apiSecret } },
      epochNow: () => simClock,
    });
    vendor = createSolapiSmsVendor({ id: VENDOR, account, baseUrl: `${sim.url}/${VENDOR}` });
  });
  afterEach(async () => {
    await vendor.close();
    await sim.close();
  });

  const sendAll = async (count: number): Promise<string[]> => {
    const messages = Array.from({ length: count }, () => smsMessage({ lane: 'batch' }));
    const sent = await vendor.bulk!.sendMany(messages, signal());
    return sent.map((result) => (result as { vendorMessageId: string }).vendorMessageId);
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

  it('leaves messages out while pending, then reports delivered or not with carrier and code', async () => {
    sim.text.results.resultDelayMs = 60_000;
    sim.text.results.mix = {
      carriers: { SKT: 1, KT: 1, 'LGU+': 1, MVNO: 1 },
      undeliveredShare: 0.3,
      seed: 3,
    };
    const ids = await sendAll(60);
    assert.equal((await lookUpAll(ids)).size, 0);
    simClock += 61_000;
    const found = await lookUpAll(ids);
    assert.equal(found.size, 60);
    const checks = [...found.values()] as Exclude<DeliveryCheck, { state: 'pending' }>[];
    assert.ok(checks.some((check) => check.state === 'delivered' && check.code === '4000'));
    const undelivered = checks.filter((check) => check.state === 'undelivered');
    assert.ok(undelivered.length > 0);
    for (const check of undelivered) {
      assert.ok(['3010', '3032'].includes(check.code));
      assert.equal(check.state === 'undelivered' && check.fallback, false);
    }
    // SOLAPI's networkName: the three networks, and MVNO subscribers as MVNO.
    assert.deepEqual(new Set(checks.map((check) => check.carrier)), new Set(['SKT', 'KT', 'LGU+', 'MVNO']));
  });

  it("counts in the simulator's stats exactly what the adapter reported, for 200 messages", async () => {
    const ids = await sendAll(200);
    const found = await lookUpAll(ids);
    await lookUpAll(ids);
    assert.equal(found.size, 200);
    assert.deepEqual(sim.text.results.tally.counts()[VENDOR], tallyOf(found.values()));
  });

  it('refuses a bad signature on the look-up', async () => {
    const [id] = await sendAll(1);
    const impostor = createSolapiSmsVendor({
      id: VENDOR,
      account: { ...account, apiSecret: 'X'.repeat(32) },
      baseUrl: `${sim.url}/${VENDOR}`,
    });
    try {
      const refused = await impostor.receipts!.lookUp(queriesOf([id!]), countingCall(signal)).then(
        () => assert.fail('the look-up should have been refused'),
        (error: unknown) => error as HeraldError,
      );
      assert.equal(refused.code, 'HERALD_VENDOR_AUTH');
    } finally {
      await impostor.close();
    }
  });

  it("maps SOLAPI's 429 on its look-up to a retryable HeraldError", async () => {
    const ids = await sendAll(2);
    sim.text.lookUps.set(VENDOR, 1);
    await vendor.receipts!.lookUp(queriesOf([ids[0]!]), countingCall(signal));
    const throttled = await vendor.receipts!.lookUp(queriesOf([ids[1]!]), countingCall(signal)).then(
      () => assert.fail('the look-up should have been throttled'),
      (error: unknown) => error as HeraldError,
    );
    assert.equal(throttled.code, 'HERALD_VENDOR_RATE_LIMITED');
    assert.equal(throttled.retryable, true);
  });

  describe('message reports to a webhook', () => {
    let receiver: Server;
    let bodies: unknown[][];
    let refusals: number;

    beforeEach(async () => {
      bodies = [];
      refusals = 2;
      receiver = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          if (refusals > 0) {
            refusals -= 1;
            response.writeHead(503).end();
            return;
          }
          bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown[]);
          response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    });
    afterEach(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

    it("POSTs the final reports in SOLAPI's shape, retrying until taken, counted once", async () => {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/solapi`;
      const answer = await fetch(`${sim.url}/_sim/vendors/${VENDOR}/webhook`, {
        method: 'PUT',
        body: JSON.stringify({ url }),
      });
      assert.equal(answer.status, 200);
      const ids = await sendAll(5);
      while (bodies.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      const reports = bodies[0] as Record<string, unknown>[];
      assert.deepEqual(reports.map((report) => report.messageId).sort(), [...ids].sort());
      for (const report of reports) {
        assert.match(String(report.statusCode), /^(4000|3010|3032)$/);
        assert.equal(typeof report.networkName, 'string');
        assert.equal(report.type, 'SMS');
      }
      // Counted once the simulator has the receiver's answer, a moment after the receiver has the body.
      const tallied = () => sim.text.results.tally.reported(VENDOR);
      while (tallied() < 5) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(tallied(), 5);
      const counts = sim.text.results.tally.counts()[VENDOR];
      await lookUpAll(ids); // the look-up reports them again: still counted once
      assert.deepEqual(sim.text.results.tally.counts()[VENDOR], counts);
    });
  });
});

describe('solapi-vms receipts at the simulator', () => {
  it('finds a voice message delivered through the same message list', async () => {
    const account = solapiAccount();
    const sim = await solapiSimulator(account);
    // The simulator gives a voice message a carrier fate like an SMS, a share of them undelivered
    // (receipt-mix.ts): none here, so the state found is certain.
    sim.text.results.mix = { ...DEFAULT_RECEIPT_MIX, undeliveredShare: 0 };
    const vms = createSolapiVmsVendor({ id: 'solapi-vms', account, baseUrl: `${sim.url}/solapi-vms` });
    try {
      const { vendorMessageId } = await vms.send(vmsMessage(), signal());
      const found = await vms.receipts!.lookUp(queriesOf([vendorMessageId]), countingCall(signal));
      assert.equal(found.get(vendorMessageId)?.state, 'delivered');
    } finally {
      await vms.close();
      await sim.close();
    }
  });
});
