import { type Child, spawnHerald } from '../test/support/child-processes.ts';
import { call, TEST_KEY, waitFor } from '../test/support/herald-harness.ts';
import { productionEnv, uniqueNamespace } from '../test/support/production-env.ts';
import { CountingHttpProxy } from './support/counting-http-proxy.ts';
import {
  type DrillSimulator,
  settle,
  startDrillSimulator,
  tallyDeliveries,
  totalReceived,
} from './support/drill-simulator.ts';
import { flood, messageIdsOf, statusCounts } from './support/flood.ts';
import { type InFlightAtKill, killAndCount } from './support/in-flight-at-kill.ts';
import { type DrillOptions, deliveryFields, type Verdict } from './support/verdict.ts';

/** A quarter of the flood's requests are push, FCM and APNs tokens in turn. */
const PUSH_SHARE = 0.25;

/**
 * DESIGN.md: kill -9 of a worker mid-flood loses nothing; duplicates reach a vendor only for calls
 * in flight at the kill, and none reach a recipient where the vendor honours idempotency keys (the
 * SMS simulators do; FCM and APNs take no key, so a push in flight at the kill may reach its device
 * twice, and only such a push). Shape: an API process, two batch workers in one consumer group, a
 * retry worker, on Kafka, Redis and PostgreSQL; the victim's vendor calls (HTTP/1.1 and h2c) go
 * through a proxy that counts them.
 */
export async function runKillDrill(options: DrillOptions): Promise<Verdict> {
  const sim = await startDrillSimulator(200);
  const victimProxy = await CountingHttpProxy.start(sim.url);
  const children: Child[] = [];
  try {
    const namespace = uniqueNamespace('drillkill');
    const { api, victim } = await startCluster(namespace, sim, victimProxy, children);
    options.log(`kill: flooding ${options.messages} messages, ${PUSH_SHARE * 100}% of requests push`);

    let atKill: InFlightAtKill | undefined;
    // Mid-flood, at a moment the victim has vendor calls open (else there is nothing to drill),
    // push among them if that comes before 60% of the flood is delivered. Records are spread over
    // partitions by request, so the victim's share comes in bursts.
    const killer = waitFor(
      async () => {
        const received = totalReceived(sim);
        const pushOpen = victimProxy.openPush > 0 || received >= options.messages * 0.6;
        return received >= options.messages / 10 && victimProxy.open > 0 && pushOpen;
      },
      120_000,
      'the victim to have vendor calls open mid-flood',
    ).then(async () => {
      const received = totalReceived(sim);
      atKill = await killAndCount(victimProxy, () => victim.kill('SIGKILL'), namespace);
      options.log(`kill: SIGKILL at ${received} delivered, victim calls open ${JSON.stringify(atKill.open)}`);
    });
    const progress = setInterval(
      () =>
        options.log(
          `kill: ${totalReceived(sim)} delivered; victim ${victimProxy.forwarded} calls, ${victimProxy.open} open`,
        ),
      2_000,
    );
    const result = await flood({
      url: api.url,
      messages: options.messages,
      offset: 300_000,
      concurrency: 4,
      pushShare: PUSH_SHARE,
    });
    await killer.finally(() => clearInterval(progress));
    const tally = await settle(sim, result.messageIds, 240_000);
    const sms = tallyDeliveries(sim, messageIdsOf(result, 'sms'));
    const push = tallyDeliveries(sim, messageIdsOf(result, 'push-fcm', 'push-apns'));
    return killVerdict(
      options,
      result.messageIds.length,
      statusCounts(result.submissions),
      tally,
      sms,
      push,
      atKill!,
    );
  } finally {
    await Promise.all(children.map((child) => child.kill('SIGKILL')));
    await victimProxy.close();
    await sim.close();
  }
}

/**
 * An API process, two batch workers (the victim's vendor calls through the proxy) and a retry
 * worker; the batch lane's pool is narrowed and the reservation shortened so the drill is quick.
 */
async function startCluster(
  namespace: string,
  sim: DrillSimulator,
  victimProxy: CountingHttpProxy,
  children: Child[],
) {
  const start = async (args: string[], simUrl: string) => {
    const env = productionEnv(namespace, {
      HERALD_BOOTSTRAP_API_KEY: TEST_KEY,
      HERALD_SIMULATORS: 'external',
      HERALD_SIMULATOR_URL: simUrl,
      HERALD_SIMULATOR_CREDENTIALS_DIR: sim.credentialsDir,
      HERALD_PORT: '0',
    });
    const child = await spawnHerald(args, env, 60_000);
    children.push(child);
    return child;
  };
  const api = await start(['api'], sim.url);
  const current = await call(api.url, 'GET', '/admin/config');
  const document = structuredClone(current.body.document);
  document.dedup.reserveTtlMs = 8_000;
  document.lanes.batch = { ...document.lanes.batch, sendConcurrency: 100, maxInFlight: 300 };
  await call(api.url, 'PUT', '/admin/config', document);
  const victim = await start(['worker', '--lane', 'batch'], victimProxy.url);
  await start(['worker', '--lane', 'batch'], sim.url);
  await start(['retry-worker'], sim.url);
  return { api, victim };
}

type Tally = ReturnType<typeof tallyDeliveries>;

function killVerdict(
  options: DrillOptions,
  accepted: number,
  statuses: string,
  tally: Tally,
  sms: Tally,
  push: Tally,
  atKill: InFlightAtKill,
): Verdict {
  const broken: string[] = [];
  if (accepted !== options.messages) broken.push(`only ${accepted} accepted (${statuses})`);
  if (tally.lost > 0) broken.push(`${tally.lost} lost (${push.lost} of them push)`);
  // Calls reaching the proxy after the kill cannot be told apart by kind: each may be either.
  const smsInFlight = atKill.open.sms + atKill.late + atKill.answeredNotDurable.sms;
  const pushInFlight = atKill.open.push + atKill.late + atKill.answeredNotDurable.push;
  if (atKill.calls === 0) broken.push('the victim made no vendor call before the kill: nothing was drilled');
  // NHN, SENS and SOLAPI take no idempotency key for SMS: a call in flight at the kill may reach the
  // recipient twice, as a push may; nothing else may.
  if (sms.endUserDuplicates > smsInFlight) {
    broken.push(`${sms.endUserDuplicates} SMS end-user duplicates > ${smsInFlight} SMS calls in flight`);
  }
  if (push.endUserDuplicates > pushInFlight) {
    broken.push(`${push.endUserDuplicates} push duplicates > ${pushInFlight} push calls in flight`);
  }
  const inFlightAtKill =
    atKill.open.sms +
    atKill.open.push +
    atKill.late +
    atKill.answeredNotDurable.sms +
    atKill.answeredNotDurable.push;
  return {
    drill: 'kill',
    accepted,
    ...deliveryFields(tally),
    inFlightAtFault:
      `${inFlightAtKill} vendor calls of the victim (open ${atKill.open.sms} SMS + ${atKill.open.push} push, ` +
      `${atKill.late} on the wire, answered with the outcome not yet durable ${atKill.answeredNotDurable.sms} SMS + ` +
      `${atKill.answeredNotDurable.push} push; ${atKill.answeredLastSecond} more answered in the second before ` +
      `the kill; it had made ${atKill.calls})`,
    recovered:
      `survivor took over the victim's partitions; ${tally.idempotentReplays} idempotent replays; push: ` +
      `${push.sent} sent, ${push.lost} lost, ${push.endUserDuplicates} delivered twice (<= ${pushInFlight} in flight)`,
    figures: {
      inFlightAtKill,
      smsInFlightAtKill: smsInFlight,
      pushInFlightAtKill: pushInFlight,
      victimCalls: atKill.calls,
      answeredLastSecond: atKill.answeredLastSecond,
      smsEndUserDuplicates: sms.endUserDuplicates,
      smsVendorDuplicates: sms.vendorDuplicates,
      pushSent: push.sent,
      pushLost: push.lost,
      pushDuplicates: push.endUserDuplicates,
    },
    broken,
  };
}
