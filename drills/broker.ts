import { startTestHerald } from '../test/support/herald-harness.ts';
import { productionEnv, uniqueNamespace } from '../test/support/production-env.ts';
import { settle, startDrillSimulator, totalReceived } from './support/drill-simulator.ts';
import { flood, type Submission, statusCounts } from './support/flood.ts';
import { PrivateKafka } from './support/private-kafka.ts';
import { type DrillOptions, deliveryFields, sleep, type Verdict } from './support/verdict.ts';

/**
 * DESIGN.md: Kafka broker restart, the API answers 503 with Retry-After while it cannot persist,
 * and nothing accepted is lost. Herald runs on a broker of the drill's own, which is SIGKILLed
 * mid-flood and started again; every answer during the outage is counted.
 */
export async function runBrokerDrill(options: DrillOptions): Promise<Verdict> {
  options.log('broker: starting a private Kafka broker');
  const kafka = await PrivateKafka.start();
  const sim = await startDrillSimulator(20);
  const h = await startTestHerald(
    productionEnv(uniqueNamespace('drillbroker'), {
      HERALD_KAFKA_BROKERS: kafka.brokers,
      HERALD_SIMULATORS: 'external',
      HERALD_SIMULATOR_URL: sim.url,
      HERALD_SIMULATOR_CREDENTIALS_DIR: sim.credentialsDir,
    }),
  );
  try {
    // A steady offered load: the flood's messages over before (one outage long) and after (half
    // one), and the same rate all through the outage and the restart, however long that takes.
    let stopAt = Number.POSITIVE_INFINITY;
    const flooding = flood({
      url: h.url,
      messages: options.messages * 10,
      offset: 700_000,
      concurrency: 4,
      messagesPerSecond: options.messages / ((options.outageMs * 1.5) / 1_000),
      requestTimeoutMs: 15_000,
      stop: () => Date.now() >= stopAt,
    });
    await sleep(options.outageMs);
    const receivedAtKill = totalReceived(sim);
    const killedAt = Date.now();
    kafka.kill();
    options.log(`broker: SIGKILL at ${receivedAtKill} delivered`);
    await sleep(options.outageMs);
    await kafka.restart();
    const restartedAt = Date.now();
    stopAt = restartedAt + options.outageMs / 2;
    options.log(`broker: back after ${((restartedAt - killedAt) / 1000).toFixed(0)} s`);
    const result = await flooding;
    const tally = await settle(sim, result.messageIds, 240_000);

    const during = result.submissions.filter((s) => s.at > killedAt && s.at <= restartedAt);
    const accepted202During = during.filter((s) => s.status === 202);
    const unavailable = during.filter((s) => s.status === 503);
    const withoutRetryAfter = unavailable.filter((s) => !s.retryAfter);
    const otherFailures = result.submissions.filter((s) => s.status !== 202 && s.status !== 503);
    const lostOf202During = countLost(accepted202During, tally.lostIds);
    const accepted = result.messageIds.length;

    const broken: string[] = [];
    if (tally.lost > 0)
      broken.push(
        `${tally.lost} accepted messages lost (${lostOf202During} of them accepted during the outage)`,
      );
    if (withoutRetryAfter.length > 0)
      broken.push(`${withoutRetryAfter.length} answers 503 without Retry-After`);
    if (otherFailures.length > 0) broken.push(`answers other than 202/503: ${statusCounts(otherFailures)}`);
    if (unavailable.length === 0) broken.push('no 503 while the broker was down');
    const acceptedAfter = result.submissions.filter((s) => s.at > restartedAt && s.status === 202).length;
    if (acceptedAfter === 0) broken.push('no request accepted after the broker came back');
    return {
      drill: 'broker',
      accepted,
      ...deliveryFields(tally),
      inFlightAtFault: `${accepted202BeforeKill(result.submissions, killedAt) - receivedAtKill} accepted not yet delivered`,
      recovered:
        `broker down ${((restartedAt - killedAt) / 1000).toFixed(0)} s: requests answered ` +
        `${statusCounts(during) || 'none'} (${accepted202During.length} x 202 of which ${lostOf202During} lost; ` +
        `${unavailable.length - withoutRetryAfter.length}/${unavailable.length} 503 with Retry-After); ` +
        `after the restart ${statusCounts(result.submissions.filter((s) => s.at > restartedAt)) || 'none'}; ` +
        'refused requests are not resent by the drill',
      broken,
    };
  } finally {
    await h.stop().catch(() => {});
    await sim.close();
    await kafka.dispose();
  }
}

function accepted202BeforeKill(submissions: readonly Submission[], killedAt: number): number {
  return submissions.filter((s) => s.at <= killedAt).reduce((n, s) => n + s.messageIds.length, 0);
}

function countLost(submissions: readonly Submission[], lostIds: readonly string[]): number {
  const lost = new Set(lostIds);
  return submissions.reduce((n, s) => n + s.messageIds.filter((id) => lost.has(id)).length, 0);
}
