import type { Vendor, VendorLookup } from '../../ports/vendor.ts';
import type { Channel } from '../domain/channel.ts';
import type { PushProvider } from '../domain/push-provider.ts';
import type { RemoteConfigDocument, VendorSettings } from '../domain/remote-config.ts';
import { VendorPolicy } from './vendor-policy.ts';
import { stickyWeightedPick, weightedPick } from './weighted-pick.ts';

export interface RouteChoice {
  readonly vendor: Vendor;
  readonly settings: VendorSettings;
  /** The vendor's breaker and time limit, to call it through (see vendor-policy.ts). */
  readonly policy: VendorPolicy;
}

/** What the router needs to know of a message besides its channel. */
export interface RouteRequest {
  /** Vendors that failed this message before: avoided while others remain. */
  readonly avoid?: readonly string[];
  /** The message key: the same message goes to the same vendor while the routing allows. */
  readonly stickyKey?: string;
  /** Push only: the token's provider; only vendors of that provider are considered. */
  readonly pushProvider?: PushProvider;
  /** The only vendors the message may go to (an AlimTalk template approved at some); absent: any. */
  readonly only?: readonly string[];
  /** Whether a vendor can take this message at all (an MMS's images within its limits); absent: any. */
  readonly fits?: (vendor: Vendor) => boolean;
}

/**
 * Routing is an in-process step of the worker (no extra Kafka hop): per channel, a weighted pick
 * among the vendors of the live remote config, skipping vendors switched off (weight 0), vendors
 * whose circuit is open, and, while others remain, vendors that already failed this message. A push
 * message is routed among the vendors of its token's provider only: weights and failover never
 * carry an APNs token to FCM or the reverse.
 */
export class VendorRouter {
  readonly #vendors: VendorLookup;
  readonly #config: () => RemoteConfigDocument;
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #policies = new Map<string, VendorPolicy>();

  constructor(options: {
    /** A fixed list, or a live lookup (the fleet's: adapters rebuilt when their definition changes). */
    vendors: readonly Vendor[] | VendorLookup;
    config: () => RemoteConfigDocument;
    random?: () => number;
    now?: () => number;
  }) {
    const { vendors } = options;
    this.#vendors = 'get' in vendors ? vendors : new Map(vendors.map((vendor) => [vendor.id, vendor]));
    this.#config = options.config;
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
  }

  /**
   * A vendor for this channel, or undefined when every vendor is switched off or broken (for push:
   * every vendor of the provider, or a push message without one). With a `stickyKey` (the message
   * key) the same message goes to the same vendor while the routing allows, so a redelivery meets
   * the vendor's own idempotency check.
   */
  pick(channel: Channel, request: RouteRequest = {}): RouteChoice | undefined {
    const { avoid = [], stickyKey, pushProvider, only, fits } = request;
    const config = this.#config();
    const now = this.#now();
    const usable = (config.routing[channel] ?? []).filter((route) => {
      const vendor = this.#vendors.get(route.vendor);
      return (
        route.weight > 0 &&
        vendor !== undefined &&
        (only === undefined || only.includes(route.vendor)) &&
        (fits === undefined || fits(vendor)) &&
        vendor.channels.includes(channel) &&
        (channel !== 'push' || (pushProvider !== undefined && vendor.pushProvider === pushProvider)) &&
        this.#policy(route.vendor, config).available(now)
      );
    });
    const fresh = usable.filter((route) => !avoid.includes(route.vendor));
    const candidates = fresh.length > 0 ? fresh : usable;
    const route =
      stickyKey === undefined
        ? weightedPick(candidates, this.#random)
        : stickyWeightedPick(candidates, stickyKey);
    if (!route) return undefined;
    return {
      vendor: this.#vendors.get(route.vendor)!,
      settings: vendorSettings(config, route.vendor),
      policy: this.#policy(route.vendor, config),
    };
  }

  /**
   * Whether any vendor routed for this channel has a rate (`maxPerSecond`): only then does a send
   * pick its route before the send pool's slot, to wait for the rate outside it (send-one.ts).
   */
  paces(channel: Channel): boolean {
    const config = this.#config();
    return (config.routing[channel] ?? []).some(
      (route) => vendorSettings(config, route.vendor).maxPerSecond !== undefined,
    );
  }

  /**
   * A vendor by id with its settings, whatever the routing says of it now: the delivery checks of a
   * message go to the vendor that accepted it, even one switched off since.
   */
  vendor(vendorId: string): { vendor: Vendor; settings: VendorSettings } | undefined {
    const vendor = this.#vendors.get(vendorId);
    return vendor && { vendor, settings: vendorSettings(this.#config(), vendorId) };
  }

  /** Breaker states, for /health and tests. */
  breakerStates(): Record<string, string> {
    return Object.fromEntries([...this.#policies].map(([id, policy]) => [id, policy.state]));
  }

  /**
   * A policy per vendor, rebuilt when its breaker settings change in the remote config (a changed
   * time limit is read per call and keeps the breaker's state).
   */
  #policy(vendorId: string, config: RemoteConfigDocument): VendorPolicy {
    const settings = vendorSettings(config, vendorId);
    let policy = this.#policies.get(vendorId);
    if (!policy || !sameBreakerSettings(policy.settings, settings)) {
      policy = new VendorPolicy(settings, this.#now);
      this.#policies.set(vendorId, policy);
    }
    return policy;
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
