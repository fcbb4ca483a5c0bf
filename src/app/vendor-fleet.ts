import { SIMULATOR_VENDOR_CHANNELS, SIMULATOR_VENDORS } from '../config/default-remote-config.ts';
import type { EnvConfig } from '../config/env-config.ts';
import type { Channel } from '../core/domain/channel.ts';
import type { Lane } from '../core/domain/lane.ts';
import type { PushProvider } from '../core/domain/push-provider.ts';
import type { Vendor, VendorCatalogue, VendorKind } from '../ports/vendor.ts';
import { type SimulatorServer, startSimulatorServer } from '../simulators/simulator-server.ts';
import { createSimulatorVendor } from '../vendors/http-simulator-vendor.ts';

/** The push service each simulated push vendor stands for: fcm and fcm-b are FCM, apns and apns-b APNs. */
export const SIMULATOR_PUSH_PROVIDERS: Readonly<Record<string, PushProvider>> = {
  fcm: 'fcm',
  'fcm-b': 'fcm',
  apns: 'apns',
  'apns-b': 'apns',
};

export interface VendorFleet {
  /**
   * The vendors one lane sends through. Every lane gets its own adapters, so its own connection
   * pools: a flooded batch lane's calls queue in the batch lane's pools and never in front of a
   * real-time call (measured: with one shared pool a realtime call waited 650 ms behind a 2k batch
   * flood at a 10 ms vendor; bench laneIsolation).
   */
  forLane(lane: Lane): readonly Vendor[];
  /** What stands behind each vendor id (GET /health). */
  readonly kinds: Readonly<Record<string, VendorKind>>;
  /** Which vendors this deployment has and the channels each serves: what remote config may route to. */
  readonly catalogue: VendorCatalogue;
  /** Present when the simulators run in this process (GET /_sim/stats). */
  readonly simulator: SimulatorServer | undefined;
  close(): Promise<void>;
}

/**
 * The vendors this process sends through. In the embedded default they are the simulators, run
 * in-process on a loopback port and reached over HTTP like a real vendor, so the same adapter code
 * runs in tests, drills and production. `external` points at a `herald sim` process instead (a
 * drill that kills herald keeps the simulator's counts).
 */
export async function startVendorFleet(env: EnvConfig): Promise<VendorFleet> {
  if (env.simulators === 'off') {
    return {
      forLane: () => [],
      kinds: {},
      catalogue: new Map(),
      simulator: undefined,
      close: async () => {},
    };
  }
  const ids = Object.keys(SIMULATOR_VENDOR_CHANNELS) as (keyof typeof SIMULATOR_VENDOR_CHANNELS)[];
  const simulator =
    env.simulators === 'in-process'
      ? await startSimulatorServer({
          vendors: Object.fromEntries(
            ids.map((id) => [
              id,
              { latency: { medianMs: env.simulatorLatencyMs, p99Ms: env.simulatorLatencyMs * 4 } },
            ]),
          ),
        })
      : undefined;
  const baseUrl = simulator?.url ?? env.simulatorUrl!;
  const kind: VendorKind = simulator ? 'in-process-simulator' : 'external-simulator';
  const byLane = new Map<Lane, readonly Vendor[]>();
  return {
    forLane(lane) {
      let vendors = byLane.get(lane);
      if (!vendors) {
        vendors = ids.map((id) =>
          createSimulatorVendor({
            id,
            channels: SIMULATOR_VENDOR_CHANNELS[id] as readonly Channel[],
            pushProvider: SIMULATOR_PUSH_PROVIDERS[id],
            baseUrl,
          }),
        );
        byLane.set(lane, vendors);
      }
      return vendors;
    },
    kinds: Object.fromEntries(ids.map((id) => [id, kind])),
    catalogue: SIMULATOR_VENDORS,
    simulator,
    async close() {
      await Promise.allSettled([...byLane.values()].flat().map((vendor) => vendor.close()));
      await simulator?.close();
    },
  };
}
