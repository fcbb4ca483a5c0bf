import type { SimulatorServer } from '../src/simulators/simulator-server.ts';
import { ENGINE_URLS } from '../test/support/engines.ts';
import { startTestHerald, type TestHerald } from '../test/support/herald-harness.ts';
import { productionEnv, uniqueNamespace } from '../test/support/production-env.ts';
import { TcpProxy } from '../test/support/tcp-proxy.ts';
import { settle, startDrillSimulator } from './support/drill-simulator.ts';
import { refusals, type Submission } from './support/flood.ts';
import { sampleHistoryLag } from './support/history-lag.ts';
import { floodThroughOutage } from './support/outage.ts';
import { vendorAccepted } from './support/vendor-accepted.ts';
import { type DrillOptions, deliveryFields, type Verdict } from './support/verdict.ts';

/**
 * DESIGN.md: PostgreSQL down, accepting and sending go on; history is written when it returns,
 * nothing missing. History is a projection of the history log (issue 12): the API and the workers
 * only produce to it, and the history writer, which applies it to PostgreSQL, waits the outage out
 * with the backlog left in the log, then catches up. Herald (every role in one process, the history
 * writer among them) reaches the machine's PostgreSQL through a proxy the drill cuts; the writer's
 * lag (herald_history_lag_seconds) is read throughout, and must have grown during the outage (else
 * the writer was not what waited); afterwards every history row is compared with what the
 * simulator received, message by message.
 */
export async function runPostgresDrill(options: DrillOptions): Promise<Verdict> {
  const sim = await startDrillSimulator(20);
  const target = new URL(ENGINE_URLS.postgres);
  const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port) });
  target.port = String(proxy.port);
  const h = await startTestHerald(
    productionEnv(uniqueNamespace('drillpg'), {
      HERALD_DATABASE_URL: target.toString(),
      HERALD_SIMULATORS: 'external',
      HERALD_SIMULATOR_URL: sim.url,
      HERALD_SIMULATOR_CREDENTIALS_DIR: sim.credentialsDir,
    }),
  );
  const lag = sampleHistoryLag(async () => (await h.herald.metrics.historyLag.get()).values[0]?.value ?? 0);
  try {
    const run = await floodThroughOutage({
      sim,
      url: h.url,
      messages: options.messages,
      offset: 500_000,
      outageMs: options.outageMs,
      down: () => proxy.cut(),
      up: () => proxy.restore(),
      log: (line) => options.log(`postgres: ${line}`),
    });
    lag.stop();
    const tally = await settle(sim, run.result.messageIds, 180_000);
    const history = await compareHistory(h, sim, run.result.submissions, 180_000);
    const accepted = run.result.messageIds.length;
    const broken: string[] = [];
    const refused = refusals(run.result.submissions);
    broken.push(...refused.broken);
    if (tally.lost > 0) broken.push(`${tally.lost} lost`);
    if (run.ratePerSecondDuring === 0) broken.push('nothing sent while PostgreSQL was away');
    const outageSeconds = options.outageMs / 1_000;
    if (lag.max < outageSeconds / 2) {
      broken.push(
        `history lag reached only ${lag.max.toFixed(1)} s in a ${outageSeconds} s outage: the history writer did not wait it out`,
      );
    }
    if (history.mismatches.length > 0)
      broken.push(
        `${history.mismatches.length} history rows disagree, e.g. ${history.mismatches.slice(0, 3).join(', ')}`,
      );
    return {
      drill: 'postgres',
      accepted,
      ...deliveryFields(tally),
      inFlightAtFault: `${run.backlogAtFault} accepted not yet delivered`,
      recovered:
        `API refusals ${refused.text} (not resent); during ${options.outageMs / 1000} s away: ${run.ratePerSecondDuring.toFixed(0)} msg/s vs ` +
        `${run.ratePerSecondBefore.toFixed(0)} before; the history writer's lag reached ${lag.max.toFixed(1)} s; ` +
        `history ${history.matching}/${accepted} rows match the simulator one by one, complete at most ` +
        `${((history.completeAt - run.faultEndedAt) / 1000).toFixed(1)} s after PostgreSQL returned`,
      figures: {
        historyMaxLagSeconds: lag.max,
        historyCompleteAfterReturnMs: history.completeAt - run.faultEndedAt,
        historyMatching: history.matching,
        historyMismatches: history.mismatches.length,
      },
      broken,
    };
  } finally {
    lag.stop();
    await h.stop().catch(() => {});
    await proxy.cut();
    await sim.close();
  }
}

interface HistoryComparison {
  readonly matching: number;
  readonly mismatches: readonly string[];
  /** When every accepted message showed sent (epoch ms), or the deadline. */
  readonly completeAt: number;
}

/**
 * Waits until every accepted request's history shows each message sent (the history writer caught
 * up; the API answers a request it has not applied from its 202 only), then checks each row: the
 * vendor it names delivered that message id exactly once, and no message is missing.
 */
async function compareHistory(
  h: TestHerald,
  sim: SimulatorServer,
  submissions: readonly Submission[],
  timeoutMs: number,
): Promise<HistoryComparison> {
  const deadline = Date.now() + timeoutMs;
  const accepted = submissions.filter((s) => s.status === 202);
  const rows = new Map<string, { status: string; vendor?: string }>();
  let pending = accepted;
  while (pending.length > 0 && Date.now() < deadline) {
    const still: Submission[] = [];
    for (const submission of pending) {
      const request = await h.call('GET', `/v1/requests/${submission.requestId}`);
      const messages = (request.status === 200 ? request.body.messages : []) as {
        messageId: string;
        status: string;
        vendor?: string;
      }[];
      for (const m of messages) rows.set(m.messageId, m);
      if (!submission.messageIds.every((id) => vendorAccepted(rows.get(id)?.status))) still.push(submission);
    }
    pending = still;
    if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const completeAt = Date.now();
  const mismatches: string[] = [];
  let matching = 0;
  for (const id of accepted.flatMap((s) => s.messageIds)) {
    const row = rows.get(id);
    const delivered = row?.vendor ? sim.countFor(row.vendor, id) : 0;
    if (vendorAccepted(row?.status) && delivered === 1) matching += 1;
    else
      mismatches.push(
        `${id}: history ${row ? `${row.status} via ${row.vendor}` : 'missing'}, vendor saw ${delivered}`,
      );
  }
  return { matching, mismatches, completeAt };
}
