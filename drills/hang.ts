import { ENGINE_URLS } from '../test/support/engines.ts';
import { startTestHerald } from '../test/support/herald-harness.ts';
import { productionEnv, uniqueNamespace } from '../test/support/production-env.ts';
import {
  ALIMTALK_FLOOD,
  type AlimtalkVerdict,
  prepareAlimtalk,
  settleAlimtalk,
} from './support/drill-alimtalk.ts';
import {
  type DeliveryTally,
  settle,
  startDrillSimulator,
  tallyDeliveries,
  VENDOR_IDS,
} from './support/drill-simulator.ts';
import { type FloodKind, flood, messageIdsOf, statusCounts } from './support/flood.ts';
import { GroupWatch } from './support/group-watch.ts';
import { type DrillOptions, deliveryFields, type Verdict } from './support/verdict.ts';

const HANG_SHARE = 0.05;
/** A quarter of the flood's requests are push, FCM and APNs tokens in turn: their simulators hang too. */
const PUSH_SHARE = 0.25;

/**
 * DESIGN.md: a vendor that hangs, the time limit fires, the message is retried or failed over, and
 * the consumer group never rebalances because of it. Every vendor hangs forever on 5% of calls,
 * the FCM and APNs simulators included (there the adapter resets the HTTP/2 stream when the time
 * limit fires); the batch lane's group is watched from outside for the whole flood. A quarter of
 * the requests are AlimTalk (ALIMTALK_FLOOD), so sends, Kakao's result look-ups and fallback SMS
 * meet the hanging vendors too: each still ends delivered, or undelivered with its one fallback sent.
 */
export async function runHangDrill(options: DrillOptions): Promise<Verdict> {
  const sim = await startDrillSimulator(20);
  const namespace = uniqueNamespace('drillhang');
  const h = await startTestHerald(
    productionEnv(namespace, {
      HERALD_SIMULATORS: 'external',
      HERALD_SIMULATOR_URL: sim.url,
      HERALD_SIMULATOR_CREDENTIALS_DIR: sim.credentialsDir,
    }),
  );
  let watch: GroupWatch | undefined;
  try {
    const current = await h.call('GET', '/admin/config');
    const document = structuredClone(current.body.document);
    document.lanes.batch = { ...document.lanes.batch, sendConcurrency: 200, maxInFlight: 600 };
    await h.call('PUT', '/admin/config', document);
    await prepareAlimtalk(h.call, sim);
    const timeLimitMs = document.vendors?.['nhn-sms']?.timeoutMs;
    for (const id of VENDOR_IDS) sim.setBehaviour(id, { hangShare: HANG_SHARE });
    // One message first, so the batch lane's group exists and is Stable before the watch starts.
    await flood({ url: h.url, messages: 1, offset: 599_999 });
    watch = await GroupWatch.start(ENGINE_URLS.kafka, `${namespace}.herald-batch`);
    options.log(
      `hang: flooding ${options.messages} messages (${PUSH_SHARE * 100}% of requests push, ` +
        `${ALIMTALK_FLOOD.alimtalkShare * 100}% AlimTalk), ` +
        `${HANG_SHARE * 100}% of vendor calls hang`,
    );
    const result = await flood({
      url: h.url,
      messages: options.messages,
      offset: 600_000,
      concurrency: 4,
      pushShare: PUSH_SHARE,
      ...ALIMTALK_FLOOD,
    });
    const tally = await settle(sim, result.messageIds, 300_000);
    const alimtalk = await settleAlimtalk(h.call, sim, result, 180_000);
    const requestIds = (...kinds: FloodKind[]) =>
      result.submissions.filter((s) => kinds.includes(s.kind)).map((s) => s.requestId);
    return hangVerdict({
      options,
      accepted: result.messageIds.length,
      statuses: statusCounts(result.submissions),
      tally,
      pushLost: tallyDeliveries(sim, messageIdsOf(result, 'push-fcm', 'push-apns')).lost,
      retried: await countRetried(h.call, requestIds('sms')),
      pushRetried: await countRetried(h.call, requestIds('push-fcm', 'push-apns')),
      alimtalkRetried: await countRetried(h.call, requestIds('alimtalk')),
      pushStreamsReset: ['fcm', 'fcm-b', 'apns', 'apns-b'].reduce((n, id) => n + sim.hangUps(id), 0),
      timeLimitMs,
      watch,
      alimtalk,
    });
  } finally {
    await watch?.close();
    await h.stop().catch(() => {});
    await sim.close();
  }
}

async function countRetried(
  call: (
    method: string,
    path: string,
  ) => Promise<{ status: number; body: { messages?: { attempts?: number }[] } }>,
  requestIds: readonly (string | undefined)[],
): Promise<number> {
  let retried = 0;
  for (const id of requestIds) {
    if (!id) continue;
    const view = await call('GET', `/v1/requests/${id}`);
    retried += (view.body.messages ?? []).filter((m) => (m.attempts ?? 0) > 1).length;
  }
  return retried;
}

interface HangOutcome {
  readonly options: DrillOptions;
  readonly accepted: number;
  readonly statuses: string;
  readonly tally: DeliveryTally;
  readonly pushLost: number;
  /** SMS and push messages that needed more than one attempt. */
  readonly retried: number;
  readonly pushRetried: number;
  /** AlimTalk messages whose send needed more than one attempt (a look-up that hung is asked again, not counted). */
  readonly alimtalkRetried: number;
  /** Hung FCM/APNs calls whose stream herald closed (the simulator saw the client give up). */
  readonly pushStreamsReset: number;
  readonly timeLimitMs: number | undefined;
  readonly watch: GroupWatch;
  readonly alimtalk: AlimtalkVerdict;
}

function hangVerdict(o: HangOutcome): Verdict {
  const broken: string[] = [];
  if (o.accepted !== o.options.messages) broken.push(`only ${o.accepted} accepted (${o.statuses})`);
  if (o.tally.lost > 0) broken.push(`${o.tally.lost} lost (${o.pushLost} of them push)`);
  if (o.watch.rebalances > 0) {
    broken.push(`${o.watch.rebalances} rebalances (${o.watch.transitions.join(', ')})`);
  }
  if (o.retried === 0) broken.push('no SMS was retried after a hang');
  if (o.pushRetried === 0) broken.push('no push was retried after a hang');
  broken.push(...o.alimtalk.broken);
  return {
    drill: 'hang',
    accepted: o.accepted,
    ...deliveryFields(o.tally),
    inFlightAtFault: `~${Math.round(o.accepted * HANG_SHARE)} calls hung (5% of first attempts)`,
    recovered:
      `time limit ${o.timeLimitMs ?? '?'} ms fired; ${o.retried} SMS, ${o.pushRetried} push and ${o.alimtalkRetried} AlimTalk needed more ` +
      `than one attempt (${o.pushStreamsReset} hung push streams reset by herald); ` +
      `consumer group rebalances during the flood: ${o.watch.rebalances} (members ${o.watch.members}); ` +
      o.alimtalk.line,
    figures: {
      retried: o.retried,
      pushRetried: o.pushRetried,
      alimtalkRetried: o.alimtalkRetried,
      pushLost: o.pushLost,
      pushStreamsReset: o.pushStreamsReset,
      ...o.alimtalk.figures,
    },
    broken,
  };
}
