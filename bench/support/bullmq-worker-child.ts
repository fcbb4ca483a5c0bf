import { Worker } from 'bullmq';
import type { OutboundMessage } from '../../src/core/domain/message.ts';
import { benchSmsVendors } from './bench-sms-vendors.ts';
import { BULLMQ_WORKER_ENV, type BullmqWorkerConfig } from './bullmq-worker-process.ts';

/**
 * Entry of a BullMQ worker process (forked by bullmq-worker-process.ts), as BullMQ is deployed: a
 * worker process of its own, apart from the service that enqueues. It sends each job through the
 * same SMS adapters as the in-process worker of vsBullmq, says 'ready' once its worker is, and
 * closes on 'stop' (jobs in flight finish first).
 */
const config = JSON.parse(process.env[BULLMQ_WORKER_ENV] ?? '') as BullmqWorkerConfig;
const { hostname, port } = new URL(config.redisUrl);
const vendors = await benchSmsVendors(config.simulatorUrl, config.credentialsDir);
const worker = new Worker<OutboundMessage>(
  config.queue,
  async (job) => {
    await vendors.pick().send(job.data, AbortSignal.timeout(5_000));
  },
  {
    connection: { host: hostname, port: Number(port), maxRetriesPerRequest: null },
    concurrency: config.concurrency,
    autorun: true,
  },
);
await worker.waitUntilReady();
process.once('message', async () => {
  await worker.close();
  await vendors.close();
  process.exit(0);
});
process.send?.('ready');
