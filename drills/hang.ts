import { ENGINE_URLS } from '../test/support/engines.ts';
import { startTestHerald } from '../test/support/herald-harness.ts';
import { productionEnv, uniqueNamespace } from '../test/support/production-env.ts';
import { settle, startDrillSimulator, VENDOR_IDS } from './support/drill-simulator.ts';
import { flood, statusCounts } from './support/flood.ts';
import { GroupWatch } from './support/group-watch.ts';
import { type DrillOptions, deliveryFields, type Verdict } from './support/verdict.ts';

const HANG_SHARE = 0.05;

/**
 * DESIGN.md: a vendor that hangs, the time limit fires, the message is retried or failed over, and
 * the consumer group never rebalances because of it. Every vendor hangs forever on 5% of calls;
 * the batch lane's group is watched from outside for the whole flood.
 */
export async function runHangDrill(options: DrillOptions): Promise<Verdict> {
  const sim = await startDrillSimulator(20);
  const namespace = uniqueNamespace('drillhang');
  const h = await startTestHerald(
    productionEnv(namespace, { HERALD_SIMULATORS: 'external', HERALD_SIMULATOR_URL: sim.url }),
  );
  let watch: GroupWatch | undefined;
  try {
    const current = await h.call('GET', '/admin/config');
    const document = structuredClone(current.body.document);
    document.lanes.batch = { ...document.lanes.batch, sendConcurrency: 200, maxInFlight: 600 };
    await h.call('PUT', '/admin/config', document);
    const timeLimitMs = document.vendors?.['sim-sms-a']?.timeoutMs;
    for (const id of VENDOR_IDS) sim.setBehaviour(id, { hangShare: HANG_SHARE });
    // One message first, so the batch lane's group exists and is Stable before the watch starts.
    await flood({ url: h.url, messages: 1, offset: 599_999 });
    watch = await GroupWatch.start(ENGINE_URLS.kafka, `${namespace}.herald-batch`);
    options.log(`hang: flooding ${options.messages} messages, ${HANG_SHARE * 100}% of vendor calls hang`);
    const result = await flood({ url: h.url, messages: options.messages, offset: 600_000, concurrency: 4 });
    const tally = await settle(sim, result.messageIds, 300_000);
    const retried = await countRetried(
      h.call,
      result.submissions.map((s) => s.requestId),
    );
    const accepted = result.messageIds.length;
    const broken: string[] = [];
    if (accepted !== options.messages)
      broken.push(`only ${accepted} accepted (${statusCounts(result.submissions)})`);
    if (tally.lost > 0) broken.push(`${tally.lost} lost`);
    if (watch.rebalances > 0) broken.push(`${watch.rebalances} rebalances (${watch.transitions.join(', ')})`);
    if (retried === 0) broken.push('no message was retried after a hang');
    return {
      drill: 'hang',
      accepted,
      ...deliveryFields(tally),
      inFlightAtFault: `~${Math.round(accepted * HANG_SHARE)} calls hung (5% of first attempts)`,
      recovered:
        `time limit ${timeLimitMs ?? '?'} ms fired; ${retried} messages needed more than one attempt; ` +
        `consumer group rebalances during the flood: ${watch.rebalances} (members ${watch.members})`,
      broken,
    };
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
