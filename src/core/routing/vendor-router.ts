import type { Vendor } from '../../ports/vendor.ts';
import type { Channel } from '../domain/channel.ts';
import type { RemoteConfigDocument, VendorSettings } from '../domain/remote-config.ts';
import { VendorBreaker } from './vendor-breaker.ts';
import { stickyWeightedPick, weightedPick } from './weighted-pick.ts';

export interface RouteChoice {
  readonly vendor: Vendor;
  readonly settings: VendorSettings;
  readonly breaker: VendorBreaker;
}

/**
 * Routing is an in-process step of the worker (no extra Kafka hop): per channel, a weighted pick
 * among the vendors of the live remote config, skipping vendors switched off (weight 0), vendors
 * whose circuit is open, and, while others remain, vendors that already failed this message.
 */
export class VendorRouter {
  readonly #vendors: ReadonlyMap<string, Vendor>;
  readonly #config: () => RemoteConfigDocument;
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #breakers = new Map<string, VendorBreaker>();

  constructor(options: {
    vendors: readonly Vendor[];
    config: () => RemoteConfigDocument;
    random?: () => number;
    now?: () => number;
  }) {
    this.#vendors = new Map(options.vendors.map((vendor) => [vendor.id, vendor]));
    this.#config = options.config;
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
  }

  /**
   * A vendor for this channel, or undefined when every vendor is switched off or broken. With a
   * `stickyKey` (the message key) the same message goes to the same vendor while the routing
   * allows, so a redelivery meets the vendor's own idempotency check.
   */
  pick(channel: Channel, avoid: readonly string[] = [], stickyKey?: string): RouteChoice | undefined {
    const config = this.#config();
    const now = this.#now();
    const usable = (config.routing[channel] ?? []).filter((route) => {
      const vendor = this.#vendors.get(route.vendor);
      return (
        route.weight > 0 &&
        vendor?.channels.includes(channel) &&
        this.#breaker(route.vendor, config).available(now)
      );
    });
    const fresh = usable.filter((route) => !avoid.includes(route.vendor));
    const candidates = fresh.length > 0 ? fresh : usable;
    const route =
      stickyKey === undefined
        ? weightedPick(candidates, this.#random)
        : stickyWeightedPick(candidates, stickyKey);
    if (!route) return undefined;
    const breaker = this.#breaker(route.vendor, config);
    return {
      vendor: this.#vendors.get(route.vendor)!,
      settings: vendorSettings(config, route.vendor),
      breaker,
    };
  }

  /** Breaker states, for /health and tests. */
  breakerStates(): Record<string, string> {
    return Object.fromEntries([...this.#breakers].map(([id, breaker]) => [id, breaker.state]));
  }

  /** A breaker per vendor, rebuilt when its breaker settings change in the remote config. */
  #breaker(vendorId: string, config: RemoteConfigDocument): VendorBreaker {
    const settings = vendorSettings(config, vendorId);
    let breaker = this.#breakers.get(vendorId);
    if (!breaker || !sameBreakerSettings(breaker.settings, settings)) {
      breaker = new VendorBreaker(settings, this.#now);
      this.#breakers.set(vendorId, breaker);
    }
    return breaker;
  }
}

const DEFAULT_VENDOR_SETTINGS: VendorSettings = {
  timeoutMs: 5_000,
  breakerThreshold: 5,
  breakerHalfOpenAfterMs: 10_000,
};

function vendorSettings(config: RemoteConfigDocument, vendorId: string): VendorSettings {
  return config.vendors[vendorId] ?? DEFAULT_VENDOR_SETTINGS;
}

function sameBreakerSettings(a: VendorSettings, b: VendorSettings): boolean {
  return a.breakerThreshold === b.breakerThreshold && a.breakerHalfOpenAfterMs === b.breakerHalfOpenAfterMs;
}
