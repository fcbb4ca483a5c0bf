import { writeFileSync } from 'node:fs';
import { startTestHerald, type TestHerald } from '../test/support/herald-harness.ts';
import { productionEnv, uniqueNamespace } from '../test/support/production-env.ts';
import {
  type CarrierFigures,
  figuresTable,
  receiptTotal,
  simulatorFigures,
  statsFigures,
} from '../test/support/receipt-figures.ts';
import { ALIMTALK_FLOOD, prepareAlimtalk } from './support/drill-alimtalk.ts';
import { SMS_VENDORS, startDrillSimulator } from './support/drill-simulator.ts';
import { flood, refusals } from './support/flood.ts';
import { type DrillOptions, sleep, type Verdict } from './support/verdict.ts';

const FINAL = ['delivered', 'undelivered'];
type Entry = { messageId: string; status: string; fallback?: { messageId: string; status: string } };

/**
 * Issue 11's done-when: `options.messages` SMS through the three SMS vendors (routing 50/30/20) on
 * the production engines (Kafka, Redis, PostgreSQL), plus AlimTalk to a twentieth as many
 * recipients, a fifth of them unreachable on Kakao, so fallback SMS are receipted too. Every
 * message must end delivered or undelivered by receipt look-ups, GET /admin/stats' delivered and
 * undelivered counts per carrier (and per vendor) must equal the simulators' own receipt tallies,
 * and every undelivered AlimTalk must show its fallback's own receipt.
 * `RECEIPTS_DRILL_OUT=<file>` also writes the figures as JSON.
 */
export async function runReceiptsDrill(options: DrillOptions): Promise<Verdict> {
  const sim = await startDrillSimulator(5);
  // Results known a second after acceptance; 5% not delivered, so both states show per carrier.
  sim.text.results.resultDelayMs = 1_000;
  sim.text.results.mix = { ...sim.text.results.mix, undeliveredShare: 0.05 };
  const h = await startTestHerald(
    productionEnv(uniqueNamespace('drillreceipts'), {
      HERALD_SIMULATORS: 'external',
      HERALD_SIMULATOR_URL: sim.url,
      HERALD_SIMULATOR_CREDENTIALS_DIR: sim.credentialsDir,
    }),
  );
  const log = (line: string) => options.log(`receipts: ${line}`);
  try {
    await prepareAlimtalk(h.call, sim);
    const from = new Date(Date.now() - 60_000);
    const began = Date.now();
    const sms = await flood({ url: h.url, messages: options.messages, offset: 700_000, concurrency: 8 });
    const alimtalk = await flood({
      url: h.url,
      messages: Math.max(100, Math.round(options.messages / 20)),
      offset: 760_000,
      ...ALIMTALK_FLOOD,
      alimtalkShare: 1,
    });
    log(`accepted ${sms.messageIds.length} SMS, ${alimtalk.messageIds.length} AlimTalk`);
    const alimtalkEntries = await untilReceipted(h, alimtalk, 600_000, log);
    const fallbacks = alimtalkEntries.filter((e) => e.fallback !== undefined).length;
    const expected = sms.messageIds.length + fallbacks;
    const to = new Date(Date.now() + 60_000);
    const inStats = await untilStatsFinal(h, { from, to }, expected, 600_000, log);
    const receiptedInMs = Date.now() - began;

    const receipts = sim.stats().receipts;
    const window = { from, to, channels: ['sms'] };
    const byCarrier = await statsFigures(h.call, { ...window, by: 'carrier' });
    const simByCarrier = simulatorFigures(receipts, SMS_VENDORS, 'carrier');
    const byVendor = await statsFigures(h.call, { ...window, by: 'vendor' });
    const simByVendor = simulatorFigures(receipts, SMS_VENDORS, 'vendor');
    for (const row of figuresTable(byCarrier, simByCarrier)) log(row);
    for (const row of figuresTable(byVendor, simByVendor)) log(row);

    const broken: string[] = [...refusals(sms.submissions).broken, ...refusals(alimtalk.submissions).broken];
    if (!same(byCarrier, simByCarrier)) broken.push('stats per carrier differ from the simulators');
    if (!same(byVendor, simByVendor)) broken.push('stats per vendor differ from the simulators');
    if (inStats !== expected) broken.push(`${expected - inStats} SMS without a receipt`);
    if (receiptTotal(byCarrier) !== expected)
      broken.push(`stats count ${receiptTotal(byCarrier)} receipts of ${expected}`);
    const withoutResult = alimtalkEntries.filter(
      (e) => !FINAL.includes(e.status) || (e.fallback !== undefined && !FINAL.includes(e.fallback.status)),
    ).length;
    if (withoutResult > 0) broken.push(`${withoutResult} AlimTalk without their (fallback's) result`);
    if (fallbacks === 0) broken.push('no AlimTalk fell back to SMS');
    const figures = {
      sms: sms.messageIds.length,
      alimtalk: alimtalk.messageIds.length,
      fallbacks,
      receiptedSms: inStats,
      receiptedInMs,
    };
    const out = process.env.RECEIPTS_DRILL_OUT;
    if (out) {
      const json = {
        figures,
        byCarrier,
        simulatorsByCarrier: simByCarrier,
        byVendor,
        simulatorsByVendor: simByVendor,
      };
      writeFileSync(out, `${JSON.stringify(json, null, 2)}\n`);
    }
    return {
      drill: 'receipts',
      accepted: sms.messageIds.length + alimtalk.messageIds.length,
      sent: expected,
      lost: Math.max(0, expected - inStats),
      vendorDuplicates: 0,
      endUserDuplicates: 0,
      inFlightAtFault: 'no fault (receipts drill)',
      recovered:
        `${inStats} SMS (${fallbacks} of them AlimTalk fallbacks) receipted in ${(receiptedInMs / 1000).toFixed(0)} s; ` +
        `per carrier herald/simulators delivered ${line(byCarrier.delivered)} / ${line(simByCarrier.delivered)}, ` +
        `undelivered ${line(byCarrier.undelivered)} / ${line(simByCarrier.undelivered)}`,
      figures,
      broken,
    };
  } finally {
    await h.stop().catch(() => {});
    await sim.close();
  }
}

/** The AlimTalk request views once every message and every fallback has its delivery result. */
async function untilReceipted(
  h: TestHerald,
  result: Awaited<ReturnType<typeof flood>>,
  timeoutMs: number,
  log: (line: string) => void,
): Promise<Entry[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const entries: Entry[] = [];
    for (const submission of result.submissions) {
      if (submission.requestId === undefined) continue;
      entries.push(...((await h.call('GET', `/v1/requests/${submission.requestId}`)).body?.messages ?? []));
    }
    const open = entries.filter(
      (e) => !FINAL.includes(e.status) || (e.fallback !== undefined && !FINAL.includes(e.fallback.status)),
    ).length;
    if (open === 0 || Date.now() > deadline) return entries;
    log(`AlimTalk: ${open} of ${entries.length} still without a result`);
    await sleep(5_000);
  }
}

/** Waits until GET /admin/stats shows `expected` SMS, none sent-only or in flight; returns the receipted. */
async function untilStatsFinal(
  h: TestHerald,
  window: { from: Date; to: Date },
  expected: number,
  timeoutMs: number,
  log: (line: string) => void,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  const query = new URLSearchParams({
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    channel: 'sms',
  });
  for (;;) {
    const response = await h.call('GET', `/admin/stats?${query}`);
    if (response.status !== 200) {
      // A stats query that timed out under the flood's load (503) is asked again.
      log(`GET /admin/stats: ${response.status} ${JSON.stringify(response.body)}`);
      if (Date.now() > deadline) return 0;
      await sleep(5_000);
      continue;
    }
    const { statuses } = response.body.totals;
    const receipted = statuses.delivered + statuses.undelivered;
    if (receipted >= expected || Date.now() > deadline) return receipted;
    log(`SMS: ${receipted} of ${expected} receipted (${statuses.sent} sent, ${statuses.inFlight} in flight)`);
    await sleep(5_000);
  }
}

function same(a: CarrierFigures, b: CarrierFigures): boolean {
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}

function sorted(f: CarrierFigures) {
  const order = (side: Readonly<Record<string, number>>) =>
    Object.entries(side).sort(([x], [y]) => x.localeCompare(y));
  return { delivered: order(f.delivered), undelivered: order(f.undelivered) };
}

function line(side: Readonly<Record<string, number>>): string {
  return Object.entries(side)
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([carrier, n]) => `${carrier} ${n}`)
    .join(', ');
}
