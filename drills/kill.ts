import { randomBytes } from 'node:crypto';
import { DEFAULT_RECEIPT_MIX } from '../src/simulators/text/receipt-mix.ts';
import { type Child, spawnHerald } from '../test/support/child-processes.ts';
import { ENGINE_URLS } from '../test/support/engines.ts';
import { call, TEST_KEY, waitFor } from '../test/support/herald-harness.ts';
import { productionEnv, uniqueNamespace } from '../test/support/production-env.ts';
import { CountingHttpProxy } from './support/counting-http-proxy.ts';
import {
  ALIMTALK_FLOOD,
  type AlimtalkVerdict,
  prepareAlimtalk,
  settleAlimtalk,
} from './support/drill-alimtalk.ts';
import { emptiedDrillRedis } from './support/drill-redis.ts';
import {
  type DrillSimulator,
  settle,
  startDrillSimulator,
  tallyDeliveries,
  totalReceived,
} from './support/drill-simulator.ts';
import { flood, messageIdsOf, statusCounts } from './support/flood.ts';
import { repeatedEvents, waitForCompleteHistory } from './support/history-check.ts';
import { sampleHistoryLag, scrapeHistoryLag } from './support/history-lag.ts';
import {
  type HistoryOutcome,
  historyBroken,
  historyFigures,
  historyLine,
  type WriterAtKill,
} from './support/history-verdict.ts';
import { type InFlightAtKill, killAndCount } from './support/in-flight-at-kill.ts';
import {
  checkReceipts,
  expectedCallbacks,
  type ReceiptsOutcome,
  receiptsReported,
} from './support/receipts-check.ts';
import { type DrillOptions, deliveryFields, type Verdict } from './support/verdict.ts';
import { type ReceivedChange, WebhookReceiver } from './support/webhook-receiver.ts';

/** A quarter of the flood's requests are push, FCM and APNs tokens in turn. */
const PUSH_SHARE = 0.25;
/** The text simulators' results are known this long after they accepted a message. */
const RECEIPT_DELAY_MS = 500;
/** Share of the text messages the simulated carriers do not deliver (3% by default: more to see). */
const UNDELIVERED_SHARE = 0.1;
/**
 * The flood is paced to last about this long (or longer, when herald takes less), so that receipts
 * are being looked up and applied, and callbacks sent, while the victim still has calls open.
 */
const FLOOD_SECONDS = 15;

/**
 * DESIGN.md: kill -9 of a worker mid-flood loses nothing; duplicates reach a vendor only for calls
 * in flight at the kill, and none reach a recipient where the vendor honours idempotency keys (the
 * SMS simulators do; FCM and APNs take no key, so a push in flight at the kill may reach its device
 * twice, and only such a push). AlimTalk rides the flood too: each ends delivered, or undelivered
 * with its one fallback SMS sent, and its duplicates (AlimTalk or fallback) also stay within the
 * text messages in flight. Shape: an API process, two batch workers in one consumer group, a retry
 * worker, on Kafka, Redis and PostgreSQL; the victim's vendor calls (HTTP/1.1 and h2c) go through a
 * proxy that counts them and the messages they carry.
 *
 * Receipts and status callbacks flow through the kill (issue 11): the text simulators report each
 * SMS delivered or not, with its carrier, 500 ms after accepting it; the lanes look receipts up
 * (the victim among them), and the retry worker runs the receipts worker and the callbacks worker.
 * The kill comes once receipts are being reported, and takes the retry worker too (SIGKILL, then a
 * new one starts): receipts and callbacks in flight in it are redelivered to its successor. The
 * client's webhook is a receiver in the drill's process that verifies every batch's signature. After
 * the flood: no text message still `sent`, history's delivered/undelivered per vendor and carrier
 * equal to the simulators' receipt tally, no receipt applied twice, and every status change of every
 * message (sent, delivered, undelivered, failed, expired, deferred) at the receiver at least once.
 *
 * History is a projection of the history log (issue 12), made by a `herald history-writer` process.
 * Separately, a little later in the same flood, the history writer is SIGKILLed too (a new one
 * starts): the stretch it was applying is read again by its successor. After the flood: every
 * message's history complete (each flood message, and each fallback, in a final state), as many
 * messages accepted by a vendor in history as the simulators received, and no event applied twice
 * (two events of one message alike in status, vendor, attempt and time).
 */
export async function runKillDrill(options: DrillOptions): Promise<Verdict> {
  const sim = await startDrillSimulator(200);
  const victimProxy = await CountingHttpProxy.start(sim.url);
  const receiver = await WebhookReceiver.start();
  const children: Child[] = [];
  try {
    const namespace = uniqueNamespace('drillkill');
    const redisUrl = await emptiedDrillRedis(ENGINE_URLS.redis);
    const cluster = await startCluster(namespace, redisUrl, sim, victimProxy, children);
    const { api, victim } = cluster;
    const apiCall = (method: string, path: string, body?: unknown) => call(api.url, method, path, body);
    await prepareAlimtalk(apiCall, sim);
    sim.text.results.resultDelayMs = RECEIPT_DELAY_MS;
    sim.text.results.mix = { ...DEFAULT_RECEIPT_MIX, undeliveredShare: UNDELIVERED_SHARE };
    const registered = await apiCall('PUT', '/v1/webhooks', { url: receiver.url });
    if (registered.status !== 200 && registered.status !== 201) {
      throw new Error(`PUT /v1/webhooks answered ${registered.status}: ${JSON.stringify(registered.body)}`);
    }
    receiver.secret = registered.body.secret;
    options.log(
      `kill: flooding ${options.messages} messages, ${PUSH_SHARE * 100}% of requests push, ` +
        `${ALIMTALK_FLOOD.alimtalkShare * 100}% AlimTalk`,
    );

    let atKill: InFlightAtKill | undefined;
    let receiptsAtKill = 0;
    // Mid-flood, at a moment the victim has vendor calls open (else there is nothing to drill),
    // push among them if that comes before 60% of the flood is delivered. Records are spread over
    // partitions by request, so the victim's share comes in bursts.
    const killer = waitFor(
      async () => {
        const received = totalReceived(sim);
        const pushOpen = victimProxy.openPush > 0 || received >= options.messages * 0.6;
        const receipting = receiptsReported(sim) > 0;
        return received >= options.messages / 10 && victimProxy.open > 0 && pushOpen && receipting;
      },
      120_000,
      'the victim to have vendor calls open mid-flood',
    ).then(async () => {
      const received = totalReceived(sim);
      receiptsAtKill = receiptsReported(sim);
      atKill = await killAndCount(
        victimProxy,
        async () => {
          await Promise.all([victim.kill('SIGKILL'), cluster.retryWorker.kill('SIGKILL')]);
        },
        namespace,
        redisUrl,
      );
      options.log(
        `kill: SIGKILL of a batch worker and the retry worker at ${received} delivered, ` +
          `${receiptsAtKill} receipts reported, victim calls open ${JSON.stringify(atKill.open)}`,
      );
      await cluster.startRetryWorker();
      options.log('kill: a new retry worker (receipts, callbacks) started');
    });
    const writerKill = killHistoryWriterLater(killer, cluster, sim, options);
    writerKill.catch(() => {}); // awaited below; a failed worker kill is reported there once
    const lag = sampleHistoryLag(() => scrapeHistoryLag(cluster.historyWriter.url));
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
      messagesPerSecond: options.messages / FLOOD_SECONDS,
      pushShare: PUSH_SHARE,
      ...ALIMTALK_FLOOD,
    });
    await killer.finally(() => clearInterval(progress));
    const writerAtKill = await writerKill;
    const tally = await settle(sim, result.messageIds, 240_000);
    const alimtalk = await settleAlimtalk(apiCall, sim, result, 120_000);
    const history = await waitForCompleteHistory(namespace, result.messageIds, 180_000);
    lag.stop();
    const receipts = await checkReceipts(namespace, sim, 180_000);
    const expected = await expectedCallbacks(namespace);
    const missing = await receiver.waitFor(expected, 120_000);
    return killVerdict({
      history: {
        ...history,
        repeated: await repeatedEvents(namespace),
        maxLagSeconds: lag.max,
        writerAtKill,
      },
      receipts,
      callbacks: { expected: expected.length, missing, receiver },
      receiptsAtKill,
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
    await receiver.close();
    await victimProxy.close();
    await sim.close();
  }
}

/**
 * An API process, two batch workers (the victim's vendor calls through the proxy), a retry
 * worker and a history writer; the batch lane's pool is narrowed and the reservation shortened so
 * the drill is quick.
 * Callbacks may go to the drill's loopback receiver (over http), and every process shares one
 * webhook key, so the retry worker opens the secret the API process sealed.
 */
async function startCluster(
  namespace: string,
  redisUrl: string,
  sim: DrillSimulator,
  victimProxy: CountingHttpProxy,
  children: Child[],
) {
  const webhookKey = randomBytes(32).toString('base64');
  const start = async (args: string[], simUrl: string) => {
    const env = productionEnv(namespace, {
      HERALD_REDIS_URL: redisUrl,
      HERALD_WEBHOOK_KEY: webhookKey,
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
  document.callbacks = { ...document.callbacks, allow: ['127.0.0.1'], allowHttp: ['127.0.0.1'] };
  await call(api.url, 'PUT', '/admin/config', document);
  const victim = await start(['worker', '--lane', 'batch'], victimProxy.url);
  await start(['worker', '--lane', 'batch'], sim.url);
  const cluster = {
    api,
    victim,
    retryWorker: await start(['retry-worker'], sim.url),
    /** Folds the history log into PostgreSQL: without it, history is never written. */
    historyWriter: await start(['history-writer'], sim.url),
    /** A retry worker in place of the one killed (the receipts and callbacks workers run in it). */
    async startRetryWorker() {
      cluster.retryWorker = await start(['retry-worker'], sim.url);
    },
    /** A history writer in place of the one killed: it reads again what its predecessor had not committed. */
    async startHistoryWriter() {
      cluster.historyWriter = await start(['history-writer'], sim.url);
    },
  };
  return cluster;
}

type Cluster = Awaited<ReturnType<typeof startCluster>>;

/**
 * Once the worker's kill is done and another tenth of the flood has been delivered (at most 90% of
 * it), while the writer has records read and not applied if that comes first: SIGKILL of the
 * history writer, then a new one. Its stretch in progress was not committed: the successor reads
 * it again, and applyLog's position makes the second application change nothing.
 */
async function killHistoryWriterLater(
  workerKill: Promise<void>,
  cluster: Cluster,
  sim: DrillSimulator,
  options: DrillOptions,
): Promise<WriterAtKill> {
  await workerKill;
  const target = Math.min(options.messages * 0.9, totalReceived(sim) + options.messages / 10);
  let lagSeconds = 0;
  await waitFor(
    async () => {
      if (totalReceived(sim) < target) return false;
      lagSeconds = await scrapeHistoryLag(cluster.historyWriter.url).catch(() => 0);
      return lagSeconds > 0 || totalReceived(sim) >= options.messages * 0.9;
    },
    120_000,
    'the history writer to be mid-flood',
  );
  const received = totalReceived(sim);
  await cluster.historyWriter.kill('SIGKILL');
  options.log(
    `kill: SIGKILL of the history writer at ${received} delivered, ${lagSeconds.toFixed(2)} s behind`,
  );
  await cluster.startHistoryWriter();
  options.log('kill: a new history writer started');
  return { received, lagSeconds };
}

type Tally = ReturnType<typeof tallyDeliveries>;

interface KillOutcome {
  readonly options: DrillOptions;
  readonly history: HistoryOutcome;
  readonly receipts: ReceiptsOutcome;
  readonly callbacks: {
    readonly expected: number;
    readonly missing: readonly ReceivedChange[];
    readonly receiver: WebhookReceiver;
  };
  /** Final receipts the simulators had reported when the kill came. */
  readonly receiptsAtKill: number;
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
  broken.push(...receiptsBroken(o.receipts, textDuplicates), ...callbacksBroken(o.callbacks));
  broken.push(...historyBroken(o.history, tally.sent));
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
      `in flight); ${alimtalk.line}; ${historyLine(o.history, tally.sent)}; ` +
      `${receiptsLine(o.receipts, o.receiptsAtKill)}; ${callbacksLine(o.callbacks)}`,
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
      ...receiptsFigures(o.receipts, o.receiptsAtKill),
      ...callbacksFigures(o.callbacks),
      ...historyFigures(o.history),
    },
    broken,
  };
}

/**
 * Receipts: none left `sent`, history equal to the simulators' tally, none applied twice. A message
 * sent twice (in flight at the kill) may have two fates; the second is recorded, not applied.
 */
function receiptsBroken(r: ReceiptsOutcome, textDuplicates: number): string[] {
  const broken: string[] = [];
  if (r.stillSent > 0) broken.push(`${r.stillSent} text messages still sent (no receipt applied)`);
  if (r.historyAhead.length > 0) {
    broken.push(
      `history has receipts the simulators never reported: ${r.historyAhead.slice(0, 5).join('; ')}`,
    );
  }
  if (r.tallyAhead > textDuplicates) {
    broken.push(
      `${r.tallyAhead} receipts reported but not in history > ${textDuplicates} text messages sent twice: ` +
        r.carrierMismatches.slice(0, 5).join('; '),
    );
  }
  if (r.appliedTwice > 0) broken.push(`${r.appliedTwice} messages with one receipt applied twice`);
  if (r.secondFates > textDuplicates) {
    broken.push(`${r.secondFates} messages with two fates > ${textDuplicates} text messages sent twice`);
  }
  return broken;
}

function receiptsLine(r: ReceiptsOutcome, atKill: number): string {
  return (
    `receipts: ${r.delivered} delivered + ${r.undelivered} undelivered (${r.byCarrier}), ` +
    `${r.stillSent} still sent after ${(r.settledAfterMs / 1000).toFixed(1)} s, equal to the simulators' ` +
    `${r.receiptsReported} by vendor and carrier but ${r.tallyAhead} (first sends of messages sent again), ` +
    `${r.appliedTwice} applied twice, ${r.secondFates} second fates (${atKill} reported at the kill); ` +
    `of the applied twice, AlimTalk results after a redone Kakao check ${r.alimtalkResultsRepeated}`
  );
}

function receiptsFigures(r: ReceiptsOutcome, atKill: number): Record<string, number> {
  return {
    receiptsDelivered: r.delivered,
    receiptsUndelivered: r.undelivered,
    receiptsStillSent: r.stillSent,
    receiptsReported: r.receiptsReported,
    receiptsAtKill: atKill,
    receiptCarrierMismatches: r.carrierMismatches.length,
    receiptsHistoryAhead: r.historyAhead.length,
    receiptsTallyAhead: r.tallyAhead,
    receiptsAppliedTwice: r.appliedTwice,
    receiptSecondFates: r.secondFates,
    alimtalkResultsRepeated: r.alimtalkResultsRepeated,
  };
}

/** Callbacks: every status change of every message at the receiver, each batch signed right. */
function callbacksBroken(c: KillOutcome['callbacks']): string[] {
  const broken: string[] = [];
  if (c.missing.length > 0) {
    const sample = c.missing.slice(0, 5).map((change) => `${change.messageId} ${change.status}`);
    broken.push(
      `${c.missing.length} of ${c.expected} status changes never reached the webhook, e.g. ${sample.join(', ')}`,
    );
  }
  if (c.receiver.badSignatures > 0) broken.push(`${c.receiver.badSignatures} callback batches badly signed`);
  if (c.receiver.malformed > 0) broken.push(`${c.receiver.malformed} callback batches malformed`);
  return broken;
}

function callbacksLine(c: KillOutcome['callbacks']): string {
  const r = c.receiver;
  return (
    `callbacks: ${c.expected - c.missing.length}/${c.expected} status changes received in ${r.batches} signed ` +
    `batches (${r.events} events; ${r.duplicateEvents} duplicate events, ${r.duplicateBatches} repeated ` +
    `batches; ${r.badSignatures} bad signatures)`
  );
}

function callbacksFigures(c: KillOutcome['callbacks']): Record<string, number> {
  const r = c.receiver;
  return {
    callbacksExpected: c.expected,
    callbacksMissing: c.missing.length,
    callbackBatches: r.batches,
    callbackEvents: r.events,
    callbackDuplicateEvents: r.duplicateEvents,
    callbackRepeatedBatches: r.duplicateBatches,
    callbackBadSignatures: r.badSignatures,
  };
}
