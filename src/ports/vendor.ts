import type { Channel } from '../core/domain/channel.ts';
import type { OutboundMessage } from '../core/domain/message.ts';
import type { PushProvider } from '../core/domain/push-provider.ts';

/**
 * Vendor port: one delivery provider (an SMS company, FCM, an SMTP relay...).
 *
 * `send` must honour `signal` (the pipeline's hard time limit and shutdown) and fail with a
 * HeraldError whose code, `retryable`, `retryAfterMs` and `vendorFault` come from the vendor's own
 * response, mapped in the adapter. Deliberately left out: batching across recipients, retries,
 * time limits and breakers: those are policies the pipeline composes around every vendor alike.
 */
/**
 * What stands behind a vendor id, for /health: a simulator running inside this process, a
 * simulator process of its own (`herald sim`), or the real provider. An operator must be able to
 * see at a glance that production is not sending into a simulator.
 */
export const VENDOR_KINDS = ['in-process-simulator', 'external-simulator', 'real'] as const;
export type VendorKind = (typeof VENDOR_KINDS)[number];

export interface SendReceipt {
  /** The vendor's id for the delivery (for support tickets and result lookups). */
  readonly vendorMessageId: string;
}

export interface Vendor {
  readonly id: string;
  readonly channels: readonly Channel[];
  /**
   * For a push vendor: the push service it delivers to. It is only ever given tokens of that
   * provider; a push vendor without one is never picked. A property of the adapter (an FCM adapter
   * speaks FCM), not a setting an operator could get wrong.
   */
  readonly pushProvider?: PushProvider;
  send(message: OutboundMessage, signal: AbortSignal): Promise<SendReceipt>;
  close(): Promise<void>;
}

/**
 * The vendors one deployment has adapters for: vendor id -> the channels it serves. The remote
 * config may route a channel only to a vendor listed here for that channel.
 */
export type VendorCatalogue = ReadonlyMap<string, readonly Channel[]>;

/**
 * The vendors one lane sends through, by id, as they are at this moment: a vendor whose definition
 * changes in the remote config is rebuilt and the lookup answers the new adapter from then on.
 */
export interface VendorLookup {
  get(vendorId: string): Vendor | undefined;
}
