import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { SESv2Client, SendEmailCommand, type SendEmailCommandOutput } from '@aws-sdk/client-sesv2';
import type { Channel } from '../../core/domain/channel.ts';
import { HeraldError } from '../../core/domain/errors.ts';
import type { OutboundMessage } from '../../core/domain/message.ts';
import type { SendReceipt, Vendor } from '../../ports/vendor.ts';
import { mapSesError } from './ses-errors.ts';
import { sesRequestOf } from './ses-request.ts';

export interface SesVendorOptions {
  readonly id: string;
  /** SES' regional https origin, or the simulator's `<url>/ses`. */
  readonly endpoint: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly from: string;
  readonly configurationSet?: string;
  readonly channels?: readonly Channel[];
  /** Keep-alive connections to SES (per lane). */
  readonly maxSockets?: number;
  /** Connect time limit, ms (the call's own time limit still applies). */
  readonly connectTimeoutMs?: number;
}

/**
 * The `ses` vendor: Amazon SES API v2 `SendEmail` through the official AWS SDK (SESv2Client), which
 * signs each request with SigV4 and speaks SES' restJson1 protocol. One client per lane over its
 * own keep-alive agents. The SDK's own retries are off (`maxAttempts: 1`): herald's pipeline
 * retries, fails over and keeps the time limit, and a retry inside the SDK would hide all three.
 * The caller's signal is the SDK's `abortSignal`: it destroys the request's socket, so the call
 * ends at once and SES (or the simulator) sees the hang-up. SES has no idempotency key, so a
 * request cut after SES took it may still send, like any vendor call cut in flight.
 */
export function createSesVendor(options: SesVendorOptions): Vendor {
  const { id } = options;
  const agent = { keepAlive: true, maxSockets: options.maxSockets ?? 64 };
  const httpAgent = new HttpAgent(agent);
  const httpsAgent = new HttpsAgent(agent);
  const client = new SESv2Client({
    region: options.region,
    endpoint: options.endpoint,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    maxAttempts: 1,
    requestHandler: { httpAgent, httpsAgent, connectionTimeout: options.connectTimeoutMs ?? 10_000 },
  });
  const defaults = {
    from: options.from,
    ...(options.configurationSet ? { configurationSet: options.configurationSet } : {}),
  };
  let closed = false;
  return {
    id,
    channels: options.channels ?? ['email'],
    async send(message: OutboundMessage, signal: AbortSignal): Promise<SendReceipt> {
      try {
        const command = new SendEmailCommand(sesRequestOf(message, defaults));
        const call = async (): Promise<SendReceipt> => {
          signal.throwIfAborted();
          if (closed) throw new Error('closed');
          return receiptOf(id, await client.send(command, { abortSignal: signal }));
        };
        try {
          return await call();
        } catch (error) {
          // A keep-alive connection SES (or a proxy) closed while it sat idle, found dead only when
          // the request went out on it: once more on a fresh connection, as nodemailer requeues a
          // message of the smtp vendor once. Only before any answer, never after an abort.
          if (signal.aborted || closed || !isStaleConnection(error)) throw error;
          return await call();
        }
      } catch (error) {
        throw mapSesError(id, error, signal, closed);
      }
    },
    async close(): Promise<void> {
      closed = true;
      client.destroy();
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

function receiptOf(id: string, output: SendEmailCommandOutput): SendReceipt {
  if (!output.MessageId) {
    throw new HeraldError('HERALD_VENDOR_UNAVAILABLE', `Vendor ${id} answered without a MessageId`, {
      retryable: true,
      vendorFault: true,
      vendorCode: 'NO_MESSAGE_ID',
    });
  }
  return { vendorMessageId: output.MessageId };
}

/** Reset or broken pipe with no HTTP answer at all: the connection was dead before SES read the request. */
function isStaleConnection(error: unknown): boolean {
  const { code, $metadata } = (error ?? {}) as { code?: unknown; $metadata?: { httpStatusCode?: number } };
  return (code === 'ECONNRESET' || code === 'EPIPE') && $metadata?.httpStatusCode === undefined;
}
