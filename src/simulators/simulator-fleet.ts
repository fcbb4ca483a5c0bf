import {
  applyBehaviourPatch,
  type Behaviour,
  type BehaviourPatch,
  defaultBehaviourFor,
} from './behaviour.ts';
import { ReceiveCounter } from './receive-counter.ts';
import type { RandomSource } from './seeded-random.ts';
import { SimulatedVendor } from './simulated-vendor.ts';

export interface SimulatorFleetOptions {
  /** Vendor id -> changes to that vendor kind's default behaviour. */
  readonly vendors: Readonly<Record<string, BehaviourPatch>>;
  readonly random: RandomSource;
  readonly now?: () => number;
}

/** Thrown for a vendor id the simulator does not host. */
export class UnknownVendorError extends Error {
  readonly vendorId: string;

  constructor(vendorId: string) {
    super(`The simulator hosts no vendor ${vendorId}`);
    this.name = 'UnknownVendorError';
    this.vendorId = vendorId;
  }
}

/**
 * The simulated vendors one simulator hosts, their shared receive counter, and the behaviours they
 * started with (reset() goes back to those). Knows nothing of HTTP.
 */
export class SimulatorFleet {
  readonly counter: ReceiveCounter;
  readonly #vendors = new Map<string, SimulatedVendor>();
  readonly #initialBehaviours = new Map<string, Behaviour>();

  /** Validates every vendor's behaviour up front; throws BehaviourError on the first bad one. */
  constructor(options: SimulatorFleetOptions) {
    const ids = Object.keys(options.vendors);
    this.counter = new ReceiveCounter(ids);
    for (const id of ids) {
      const behaviour = applyBehaviourPatch(id, defaultBehaviourFor(id), options.vendors[id]);
      this.#initialBehaviours.set(id, behaviour);
      this.#vendors.set(
        id,
        new SimulatedVendor({
          id,
          behaviour,
          random: options.random,
          counter: this.counter,
          now: options.now,
        }),
      );
    }
  }

  vendor(vendorId: string): SimulatedVendor | undefined {
    return this.#vendors.get(vendorId);
  }

  behaviourOf(vendorId: string): Behaviour {
    return this.#required(vendorId).behaviour;
  }

  /**
   * Applies a patch (typed or untrusted JSON) on top of the vendor's current behaviour, live.
   * Throws UnknownVendorError or BehaviourError and then changes nothing.
   */
  setBehaviour(vendorId: string, patch: unknown): Behaviour {
    const vendor = this.#required(vendorId);
    const behaviour = applyBehaviourPatch(vendorId, vendor.behaviour, patch);
    vendor.setBehaviour(behaviour);
    return behaviour;
  }

  /** Zeroes the counts, forgets idempotency keys and restores every starting behaviour. */
  reset(): void {
    this.counter.reset();
    for (const [id, vendor] of this.#vendors) vendor.reset(this.#initialBehaviours.get(id)!);
  }

  #required(vendorId: string): SimulatedVendor {
    const vendor = this.#vendors.get(vendorId);
    if (vendor === undefined) throw new UnknownVendorError(vendorId);
    return vendor;
  }
}
