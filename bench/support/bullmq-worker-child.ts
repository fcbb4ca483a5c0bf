import { type BullmqWorkerConfig, startBullmqSmsWorker } from './bullmq-sms-worker.ts';
import { BULLMQ_WORKER_ENV } from './bullmq-worker-process.ts';

/**
 * Entry of a BullMQ worker process (forked by bullmq-worker-process.ts), as BullMQ is deployed: a
 * worker process of its own, apart from the service that enqueues. It runs the same worker as
 * vsBullmq's in-process one, says 'ready' once it is, and closes on 'stop' (jobs in flight
 * finish first).
 */
const config = JSON.parse(process.env[BULLMQ_WORKER_ENV] ?? '') as BullmqWorkerConfig;
const worker = await startBullmqSmsWorker(config);
process.once('message', async () => {
  await worker.stop();
  process.exit(0);
});
process.send?.('ready');
