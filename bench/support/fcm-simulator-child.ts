import { startSimulatorServer } from '../../src/simulators/simulator-server.ts';
import {
  SIMULATOR_START_ENV,
  type SimulatorFromChild,
  type SimulatorStart,
  type SimulatorToChild,
} from './fcm-simulator-process.ts';

/**
 * Entry of the FCM simulator process of the push bench (forked by fcm-simulator-process.ts): one
 * simulated FCM vendor, trusting the bench's generated service account, at the given latency.
 * `herald sim` is not used because the bench must hand it the service account's public key and
 * read the h2 counters (sessions, streams, peak streams in flight), which only the
 * SimulatorServer object offers; IPC carries both.
 */
function reply(message: SimulatorFromChild): void {
  process.send?.(message);
}

const start = JSON.parse(process.env[SIMULATOR_START_ENV] ?? 'null') as SimulatorStart;
const server = await startSimulatorServer({
  vendors: { [start.vendorId]: { latency: { ...start.latency, outlierShare: 0 } } },
  pushTrust: { fcm: { [start.vendorId]: start.trust } },
});
process.on('message', (message: SimulatorToChild) => {
  if (message.type === 'snapshot') {
    const vendor = server.stats().vendors[start.vendorId];
    const cpu = process.cpuUsage();
    reply({
      type: 'snapshot',
      cpuUs: cpu.user + cpu.system,
      h2: server.h2Stats(),
      distinct: vendor?.distinct ?? 0,
      received: vendor?.received ?? 0,
    });
  } else if (message.type === 'close') {
    void server.close().then(() => process.disconnect?.());
  }
});
reply({ type: 'ready', url: server.url });
