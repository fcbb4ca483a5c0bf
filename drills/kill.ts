import { type Child, spawnHerald } from '../test/support/child-processes.ts';
import { call, TEST_KEY, waitFor } from '../test/support/herald-harness.ts';
import { productionEnv, uniqueNamespace } from '../test/support/production-env.ts';
import { CountingHttpProxy } from './support/counting-http-proxy.ts';
import {
  ALIMTALK_FLOOD,
  type AlimtalkVerdict,
  prepareAlimtalk,
  settleAlimtalk,
} from './support/drill-alimtalk.ts';
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
 * twice, and only such a push). AlimTalk rides the flood too: each ends delivered, or undelivered
 * with its one fallback SMS sent, and its duplicates (AlimTalk or fallback) also stay within the
 * text messages in flight. Shape: an API process, two batch workers in one consumer group, a retry
 * worker, on Kafka, Redis and PostgreSQL; the victim's vendor calls (HTTP/1.1 and h2c) go through a
 * proxy that counts them and the messages they carry.
 */
export async function runKillDrill(options: DrillOptions): Promise<Verdict> {
  const sim = await startDrillSimulator(200);
  const victimProxy = await CountingHttpProxy.start(sim.url);
  const children: Child[] = [];
  try {
    const namespace = uniqueNamespace('drillkill');
    const { api, victim } = await startCluster(namespace, sim, victimProxy, children);
    const apiCall = (method: string, path: string, body?: unknown) => call(api.url, method, path, body);
    await prepareAlimtalk(apiCall, sim);
    options.log(
      `kill: flooding ${options.messages} messages, ${PUSH_SHARE * 100}% of requests push, ` +
        `${ALIMTALK_FLOOD.alimtalkShare * 100}% AlimTalk`,
    );

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
      ...ALIMTALK_FLOOD,
    });
    await killer.finally(() => clearInterval(progress));
    const tally = await settle(sim, result.messageIds, 240_000);
    const alimtalk = await settleAlimtalk(apiCall, sim, result, 120_000);
    return killVerdict({
      options,
      accepted: result.messageIds.length,
      statuses: statusCounts(result.submissions),
      tally,
      text: tallyDeliveries(sim, messageIdsOf(result, 'sms', 'alimtalk')),
      push: tallyDeliveries(sim, messageIdsOf(result, 'push-fcm', 'push-apns')),
      alimtalk,
      atKill: atKill!,
    });
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

interface KillOutcome {
  readonly options: DrillOptions;
  readonly accepted: number;
  readonly statuses: string;
  readonly tally: Tally;
  /** SMS and AlimTalk messages of the flood (the fallbacks are in `alimtalk`). */
  readonly text: Tally;
  readonly push: Tally;
  readonly alimtalk: AlimtalkVerdict;
  readonly atKill: InFlightAtKill;
}

function killVerdict(o: KillOutcome): Verdict {
  const { options, tally, text, push, alimtalk, atKill } = o;
  const broken: string[] = [];
  if (o.accepted !== options.messages) broken.push(`only ${o.accepted} accepted (${o.statuses})`);
  if (tally.lost > 0) broken.push(`${tally.lost} lost (${push.lost} of them push)`);
  // Messages in calls reaching the proxy after the kill cannot be told apart by kind: each may be either.
  const textInFlight = atKill.open.text + atKill.late + atKill.answeredNotDurable.text;
  const pushInFlight = atKill.open.push + atKill.late + atKill.answeredNotDurable.push;
  if (atKill.calls === 0) broken.push('the victim made no vendor call before the kill: nothing was drilled');
  // NHN, SENS and SOLAPI take no idempotency key for SMS or AlimTalk: a message in flight at the
  // kill may reach the recipient twice (SMS, AlimTalk, or the fallback SMS whose send or whose
  // AlimTalk's look-up was cut), as a push may; nothing else may.
  const textDuplicates = text.endUserDuplicates + alimtalk.fallbacks.endUserDuplicates;
  const alimtalkOpen = atKill.openTextIds.filter((id) => alimtalk.ids.has(id)).length;
  if (textDuplicates > textInFlight) {
    broken.push(`${textDuplicates} SMS/AlimTalk/fallback end-user duplicates > ${textInFlight} in flight`);
  }
  if (push.endUserDuplicates > pushInFlight) {
    broken.push(`${push.endUserDuplicates} push duplicates > ${pushInFlight} push messages in flight`);
  }
  broken.push(...alimtalk.broken);
  const inFlightAtKill =
    atKill.open.text +
    atKill.open.push +
    atKill.late +
    atKill.answeredNotDurable.text +
    atKill.answeredNotDurable.push;
  return {
    drill: 'kill',
    accepted: o.accepted,
    ...deliveryFields(tally),
    inFlightAtFault:
      `${inFlightAtKill} messages of the victim's vendor calls (open ${atKill.open.text} text ` +
      `(${alimtalkOpen} of them AlimTalk or fallback) + ${atKill.open.push} push, ${atKill.late} on the wire, answered with the outcome not yet durable ` +
      `${atKill.answeredNotDurable.text} text + ${atKill.answeredNotDurable.push} push; ` +
      `${atKill.answeredLastSecond} more calls answered in the second before the kill; it had made ` +
      `${atKill.calls} calls)`,
    recovered:
      `survivor took over the victim's partitions; ${tally.idempotentReplays} idempotent replays; text ` +
      `(SMS, AlimTalk, fallback) delivered twice ${textDuplicates} (<= ${textInFlight} in flight); push: ` +
      `${push.sent} sent, ${push.lost} lost, ${push.endUserDuplicates} delivered twice (<= ${pushInFlight} ` +
      `in flight); ${alimtalk.line}`,
    figures: {
      inFlightAtKill,
      textInFlightAtKill: textInFlight,
      alimtalkOpenAtKill: alimtalkOpen,
      pushInFlightAtKill: pushInFlight,
      victimCalls: atKill.calls,
      answeredLastSecond: atKill.answeredLastSecond,
      textEndUserDuplicates: textDuplicates,
      textVendorDuplicates: text.vendorDuplicates + alimtalk.fallbacks.vendorDuplicates,
      pushSent: push.sent,
      pushLost: push.lost,
      pushDuplicates: push.endUserDuplicates,
      ...alimtalk.figures,
    },
    broken,
  };
}
