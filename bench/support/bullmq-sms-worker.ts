import { Worker } from 'bullmq';
import type { OutboundMessage } from '../../src/core/domain/message.ts';
import { benchSmsVendors } from './bench-sms-vendors.ts';

export interface BullmqWorkerConfig {
  readonly redisUrl: string;
  readonly queue: string;
  readonly simulatorUrl: string;
  /** The accounts the simulator trusts: the bench process's BENCH_CREDENTIALS_DIR. */
  readonly credentialsDir: string;
  readonly concurrency: number;
}

/** ioredis options for BullMQ on `redisUrl` (a worker's blocking calls need no retry limit). */
export function bullmqConnection(redisUrl: string) {
  const { hostname, port } = new URL(redisUrl);
  return { host: hostname, port: Number(port), maxRetriesPerRequest: null };
}

/**
 * A BullMQ Worker in the calling process, ready to take jobs, sending each one through herald's
 * SMS adapters (one call per job); stop() lets jobs in flight finish, then closes the adapters.
 */
export async function startBullmqSmsWorker(config: BullmqWorkerConfig): Promise<{ stop(): Promise<void> }> {
  const vendors = await benchSmsVendors(config.simulatorUrl, config.credentialsDir);
  const worker = new Worker<OutboundMessage>(
    config.queue,
    async (job) => {
      await vendors.pick().send(job.data, AbortSignal.timeout(5_000));
    },
    { connection: bullmqConnection(config.redisUrl), concurrency: config.concurrency, autorun: true },
  );
  await worker.waitUntilReady();
  return {
    async stop() {
      await worker.close();
      await vendors.close();
    },
  };
}
