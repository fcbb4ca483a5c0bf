import type { SimulatorServer } from '../../src/simulators/simulator-server.ts';
import { totalReceived } from './drill-simulator.ts';
import { type FloodResult, flood, type Submission } from './flood.ts';
import { sleep } from './verdict.ts';

export interface OutageOptions {
  readonly sim: SimulatorServer;
  readonly url: string;
  readonly messages: number;
  readonly offset: number;
  readonly outageMs: number;
  readonly down: () => Promise<void>;
  readonly up: () => Promise<void>;
  readonly log: (line: string) => void;
}

export interface OutageRun {
  readonly result: FloodResult;
  /** Deliveries a second before the fault and during it. */
  readonly ratePerSecondBefore: number;
  readonly ratePerSecondDuring: number;
  /** Accepted, not yet delivered when the service went away. */
  readonly backlogAtFault: number;
  readonly faultStartedAt: number;
  readonly faultEndedAt: number;
}

/**
 * A steady offered load (the flood spread over before + outage + after, 1 : 1 : 0.5) with the
 * service taken away in the middle; measures the delivery rate before and during the outage.
 */
export async function floodThroughOutage(options: OutageOptions): Promise<OutageRun> {
  const spanSeconds = (options.outageMs * 2.5) / 1_000;
  const messagesPerSecond = options.messages / spanSeconds;
  let accepted = 0;
  const onSubmission = (s: Submission) => {
    accepted += s.messageIds.length;
  };
  const flooding = flood({
    url: options.url,
    messages: options.messages,
    offset: options.offset,
    concurrency: 4,
    messagesPerSecond,
    onSubmission,
  });
  options.log(`offered load ${messagesPerSecond.toFixed(0)} msg/s for ${spanSeconds} s`);
  await sleep(1_000);
  const warmAt = Date.now();
  const warmReceived = totalReceived(options.sim);
  await sleep(options.outageMs - 1_000);
  const faultStartedAt = Date.now();
  const atFault = totalReceived(options.sim);
  const backlogAtFault = accepted - atFault;
  await options.down();
  options.log(`service down (${atFault} delivered, backlog ${backlogAtFault})`);
  await sleep(options.outageMs);
  const duringReceived = totalReceived(options.sim) - atFault;
  const faultEndedAt = Date.now();
  await options.up();
  options.log('service back');
  const result = await flooding;
  return {
    result,
    ratePerSecondBefore: ((atFault - warmReceived) * 1_000) / (faultStartedAt - warmAt),
    ratePerSecondDuring: (duringReceived * 1_000) / (faultEndedAt - faultStartedAt),
    backlogAtFault,
    faultStartedAt,
    faultEndedAt,
  };
}
