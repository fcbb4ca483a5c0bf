import { startTestHerald, waitFor } from '../test/support/herald-harness.ts';
import { productionEnv, uniqueNamespace } from '../test/support/production-env.ts';
import { RedisServerProcess } from '../test/support/redis-server-process.ts';
import { settle, startDrillSimulator } from './support/drill-simulator.ts';
import { flood, refusals } from './support/flood.ts';
import { floodThroughOutage } from './support/outage.ts';
import { type DrillOptions, deliveryFields, type Verdict } from './support/verdict.ts';

/**
 * DESIGN.md: Redis down, sending goes on (fail-open, counted); once it is back, dedup works again.
 * Herald runs in this process on Kafka + PostgreSQL and a private Redis the drill kills and restarts.
 */
export async function runRedisDrill(options: DrillOptions): Promise<Verdict> {
  const sim = await startDrillSimulator(20);
  const redis = await RedisServerProcess.start();
  const h = await startTestHerald(
    productionEnv(uniqueNamespace('drillredis'), {
      HERALD_REDIS_URL: redis.url,
      HERALD_SIMULATORS: 'external',
      HERALD_SIMULATOR_URL: sim.url,
      HERALD_SIMULATOR_CREDENTIALS_DIR: sim.credentialsDir,
    }),
  );
  try {
    const failOpen = () => h.herald.metrics.count(h.herald.metrics.dedupFailOpen);
    const failOpenBefore = await failOpen();
    const run = await floodThroughOutage({
      sim,
      url: h.url,
      messages: options.messages,
      offset: 400_000,
      outageMs: options.outageMs,
      down: () => redis.stop(),
      up: () => redis.restart(),
      log: (line) => options.log(`redis: ${line}`),
    });
    const failOpenCount = (await failOpen()) - failOpenBefore;
    const dedup = h.herald.stores.dedup;
    await waitFor(
      () =>
        dedup.reserve([`drill-probe-${Date.now()}`], 1_000).then(
          () => true,
          () => false,
        ),
      30_000,
      'the Redis client to reconnect',
    );
    const tally = await settle(sim, run.result.messageIds, 180_000);
    // After the return: a fresh flood must go through dedup again, with no fail-open at all.
    const failOpenAfterReturn = await failOpen();
    const probe = await flood({ url: h.url, messages: 200, offset: 450_000 });
    const probeTally = await settle(sim, probe.messageIds, 60_000);
    const failOpenAfterProbe = (await failOpen()) - failOpenAfterReturn;

    const accepted = run.result.messageIds.length;
    const ratio = run.ratePerSecondDuring / run.ratePerSecondBefore;
    const broken: string[] = [];
    const refused = refusals(run.result.submissions);
    broken.push(...refused.broken);
    if (tally.lost > 0) broken.push(`${tally.lost} lost`);
    if (run.ratePerSecondDuring === 0) broken.push('nothing sent while Redis was down');
    if (failOpenCount === 0) broken.push('no fail-open counted while Redis was down');
    if (failOpenAfterProbe > 0 || probeTally.lost > 0)
      broken.push(`after the return ${failOpenAfterProbe} fail-open, ${probeTally.lost} of 200 lost`);
    return {
      drill: 'redis',
      accepted,
      ...deliveryFields(tally),
      inFlightAtFault: `${run.backlogAtFault} accepted not yet delivered`,
      recovered:
        `API refusals ${refused.text} (not resent); during ${options.outageMs / 1000} s down: ${run.ratePerSecondDuring.toFixed(0)} msg/s vs ` +
        `${run.ratePerSecondBefore.toFixed(0)} before (ratio ${ratio.toFixed(2)}), ${failOpenCount} fail-open; ` +
        `after: 200 more sent with ${failOpenAfterProbe} fail-open (dedup back)`,
      broken,
    };
  } finally {
    await h.stop().catch(() => {});
    await redis.dispose();
    await sim.close();
  }
}
