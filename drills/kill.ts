import { type Child, spawnHerald } from '../test/support/child-processes.ts';
import { ENGINE_URLS } from '../test/support/engines.ts';
import { call, TEST_KEY, waitFor } from '../test/support/herald-harness.ts';
import { productionEnv, uniqueNamespace } from '../test/support/production-env.ts';
import { CountingHttpProxy } from './support/counting-http-proxy.ts';
import { stillReserved } from './support/dedup-states.ts';
import { settle, startDrillSimulator, totalReceived } from './support/drill-simulator.ts';
import { flood, statusCounts } from './support/flood.ts';
import { type DrillOptions, deliveryFields, type Verdict } from './support/verdict.ts';

/**
 * DESIGN.md: kill -9 of a worker mid-flood loses nothing; duplicates reach a vendor only for calls
 * in flight at the kill, and none reach a recipient (the simulator honours idempotency keys).
 * Shape: an API process, two batch workers in one consumer group, a retry worker, on Kafka, Redis
 * and PostgreSQL; the victim's vendor calls go through a proxy that counts them.
 */
export async function runKillDrill(options: DrillOptions): Promise<Verdict> {
  const sim = await startDrillSimulator(200);
  const victimProxy = await CountingHttpProxy.start(sim.url);
  const children: Child[] = [];
  try {
    const namespace = uniqueNamespace('drillkill');
    const env = (simUrl: string) =>
      productionEnv(namespace, {
        HERALD_BOOTSTRAP_API_KEY: TEST_KEY,
        HERALD_SIMULATORS: 'external',
        HERALD_SIMULATOR_URL: simUrl,
        HERALD_PORT: '0',
      });
    const start = async (args: string[], simUrl: string) => {
      const child = await spawnHerald(args, env(simUrl), 60_000);
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
    options.log(`kill: flooding ${options.messages} messages`);

    let atKill = { open: 0, calls: 0, received: 0 };
    let answeredNotDurable = 0;
    let lateCalls = 0;
    let answeredLastSecond = 0;
    // Mid-flood, at a moment the victim has vendor calls open (else there is nothing to drill).
    // Records are spread over partitions by request, so the victim's share comes in bursts.
    const killer = waitFor(
      async () => totalReceived(sim) >= options.messages / 10 && victimProxy.open > 0,
      120_000,
      'the victim to have vendor calls open mid-flood',
    ).then(async () => {
      const killedAt = Date.now();
      atKill = { open: victimProxy.open, calls: victimProxy.forwarded, received: totalReceived(sim) };
      // Answered calls count as in flight too while their outcome is not durable: the victim had
      // not yet written history and confirmed the key. A few seconds back covers its write batching.
      const recent = victimProxy.keysOpenOrAnsweredSince(killedAt - 5_000);
      await victim.kill('SIGKILL');
      const openKeys = new Set(recent.open);
      const reserved = await stillReserved(ENGINE_URLS.redis, namespace, recent.answered);
      answeredNotDurable = new Set(reserved.filter((key) => !openKeys.has(key))).size;
      answeredLastSecond = victimProxy.answeredSince(killedAt - 1_000) - victimProxy.answeredSince(killedAt);
      // Requests already on the wire when the process died still reach the proxy: in flight too.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      lateCalls = victimProxy.forwarded - atKill.calls;
      options.log(
        `kill: SIGKILL at ${atKill.received} delivered, ${atKill.open} victim calls open of ${atKill.calls}`,
      );
    });
    const progress = setInterval(
      () =>
        options.log(
          `kill: ${totalReceived(sim)} delivered; victim ${victimProxy.forwarded} calls, ${victimProxy.open} open`,
        ),
      2_000,
    );
    const result = await flood({ url: api.url, messages: options.messages, offset: 300_000, concurrency: 4 });
    await killer.finally(() => clearInterval(progress));
    const tally = await settle(sim, result.messageIds, 240_000);
    const broken: string[] = [];
    if (result.messageIds.length !== options.messages)
      broken.push(`only ${result.messageIds.length} accepted (${statusCounts(result.submissions)})`);
    if (tally.lost > 0) broken.push(`${tally.lost} lost`);
    if (tally.endUserDuplicates > 0) broken.push(`${tally.endUserDuplicates} end-user duplicates`);
    const inFlightAtKill = atKill.open + lateCalls + answeredNotDurable;
    if (atKill.calls === 0)
      broken.push('the victim made no vendor call before the kill: nothing was drilled');
    if (tally.vendorDuplicates > inFlightAtKill)
      broken.push(`${tally.vendorDuplicates} vendor duplicates > ${inFlightAtKill} in flight`);
    return {
      drill: 'kill',
      accepted: result.messageIds.length,
      ...deliveryFields(tally),
      inFlightAtFault:
        `${inFlightAtKill} vendor calls of the victim (${atKill.open} open + ${lateCalls} on the wire + ` +
        `${answeredNotDurable} answered, outcome not yet durable; ` +
        `${answeredLastSecond} more answered in the second before the kill; it had made ${atKill.calls})`,
      recovered: `survivor took over the victim's partitions; ${tally.idempotentReplays} idempotent replays`,
      figures: { inFlightAtKill, victimCalls: atKill.calls, answeredLastSecond, answeredNotDurable },
      broken,
    };
  } finally {
    await Promise.all(children.map((child) => child.kill('SIGKILL')));
    await victimProxy.close();
    await sim.close();
  }
}
