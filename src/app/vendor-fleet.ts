import { SIMULATOR_VENDORS } from '../config/default-remote-config.ts';
import type { EnvConfig } from '../config/env-config.ts';
import { adapterKey, channelsOf, kindOf, sendsToSimulator } from '../config/vendor-definitions.ts';
import { PROCESS_SECRETS, type SecretSource } from '../config/vendor-secrets.ts';
import type { Lane } from '../core/domain/lane.ts';
import type { RemoteConfigDocument } from '../core/domain/remote-config.ts';
import type { Logger } from '../observability/logger.ts';
import type { VendorCatalogue, VendorKind, VendorLookup } from '../ports/vendor.ts';
import {
  ensureSimulatorCredentials,
  type SimulatorCredentials,
} from '../simulators/push-credentials/push-credentials.ts';
import { simulatorPushTrust } from '../simulators/push-credentials/push-trust.ts';
import { type SimulatorServer, startSimulatorServer } from '../simulators/simulator-server.ts';
import { simulatorTextTrust } from '../simulators/text/text-credentials.ts';
import { LaneVendors } from './lane-vendors.ts';
import {
  type FleetDeployment,
  type SmtpAddress,
  VENDOR_FACTORIES,
  type VendorDefinition,
  type VendorFactory,
} from './vendor-factories.ts';

export { SIMULATOR_PUSH_PROVIDERS } from '../config/default-remote-config.ts';

export interface VendorFleet {
  /**
   * The vendors one lane sends through. Every lane gets its own adapters, so its own connection
   * pools: a flooded batch lane's calls queue in the batch lane's pools and never in front of a
   * real-time call (measured: with one shared pool a realtime call waited 650 ms behind a 2k batch
   * flood at a 10 ms vendor; bench laneIsolation). Live: a changed definition swaps the adapters.
   */
  forLane(lane: Lane): VendorLookup;
  /** What stands behind each vendor of the current definitions (GET /health). */
  readonly kinds: Readonly<Record<string, VendorKind>>;
  /**
   * Vendors whose current definition could not be built in this process (a secret file missing,
   * say), with the reason: they keep their previous adapters, or have none (GET /health).
   */
  readonly unbuilt: Readonly<Record<string, string>>;
  /** Present when the simulators run in this process (GET /_sim/stats). */
  readonly simulator: SimulatorServer | undefined;
  close(): Promise<void>;
}

/** The remote config as the fleet follows it (LiveConfig). */
export interface FollowedConfig {
  current(): RemoteConfigDocument;
  onChange(listener: () => void): () => void;
}

export interface VendorFleetOptions {
  readonly config: FollowedConfig;
  readonly logger: Logger;
  /** Lanes whose adapters are built at start, so a vendor that cannot be built fails the start. */
  readonly lanes?: readonly Lane[];
  readonly secrets?: SecretSource;
  readonly factories?: Readonly<Record<string, VendorFactory>>;
}

/**
 * The vendors the simulator of this deployment hosts (id -> channels), empty when none runs: what
 * the remote config may point at the simulator. Known before the fleet starts, from the env alone.
 */
export function simulatedVendors(env: Pick<EnvConfig, 'simulators'>): VendorCatalogue {
  return env.simulators === 'off' ? new Map() : SIMULATOR_VENDORS;
}

/**
 * The vendors this process sends through, built from the vendor definitions of the remote config
 * (kind, endpoint, credential references) by the factory of each kind, and rebuilt when a new
 * config version changes a definition: the new adapters take calls at once, the old ones close
 * when their calls have finished. Unless HERALD_SIMULATORS=off, the simulator runs in this process
 * (or is a `herald sim` process, `external`) and its generated push credentials are loaded.
 */
export async function startVendorFleet(env: EnvConfig, options: VendorFleetOptions): Promise<VendorFleet> {
  const simulated = simulatedVendors(env);
  const simulatorCredentials =
    env.simulators === 'off' ? undefined : await ensureSimulatorCredentials(env.simulatorCredentialsDir);
  const simulator =
    env.simulators === 'in-process' ? await startInProcessSimulator(env, simulatorCredentials!) : undefined;
  const simulatorSmtp = simulatorSmtpOf(env, simulator);
  const deployment: FleetDeployment = {
    simulatorUrl: simulator?.url ?? env.simulatorUrl,
    simulatorCredentials,
    secrets: options.secrets ?? PROCESS_SECRETS,
    ...(simulatorSmtp ? { simulatorSmtp } : {}),
  };
  const simulatorKind: VendorKind = simulator ? 'in-process-simulator' : 'external-simulator';
  const fleet = new FleetBuilds(deployment, simulated, options);
  try {
    for (const lane of options.lanes ?? []) fleet.forLane(lane);
  } catch (error) {
    await simulator?.close();
    throw error;
  }
  const stopFollowing = options.config.onChange(() => fleet.apply());
  return {
    forLane: (lane) => fleet.forLane(lane),
    get kinds() {
      return Object.fromEntries(
        fleet
          .definitions()
          .map(({ id, settings }) => [id, sendsToSimulator(settings) ? simulatorKind : ('real' as const)]),
      );
    },
    get unbuilt() {
      return fleet.unbuilt();
    },
    simulator,
    async close() {
      stopFollowing();
      await fleet.close();
      await simulator?.close();
    },
  };
}

/**
 * Where the simulator's SMTP server listens: the in-process one's own port, or for `herald sim` the
 * host of HERALD_SIMULATOR_URL at HERALD_SIMULATOR_SMTP_PORT (`herald sim --smtp-port`, both 9125).
 */
function simulatorSmtpOf(env: EnvConfig, simulator: SimulatorServer | undefined): SmtpAddress | undefined {
  if (simulator) return simulator.smtp ? { host: simulator.smtp.host, port: simulator.smtp.port } : undefined;
  if (env.simulators !== 'external' || env.simulatorUrl === undefined) return undefined;
  return { host: new URL(env.simulatorUrl).hostname.replace(/^\[|\]$/g, ''), port: env.simulatorSmtpPort };
}

/** The simulator in this process, trusting the generated push credentials herald signs with. */
function startInProcessSimulator(
  env: EnvConfig,
  credentials: SimulatorCredentials,
): Promise<SimulatorServer> {
  const latency = { medianMs: env.simulatorLatencyMs, p99Ms: env.simulatorLatencyMs * 4 };
  return startSimulatorServer({
    vendors: Object.fromEntries([...SIMULATOR_VENDORS.keys()].map((id) => [id, { latency }])),
    pushTrust: simulatorPushTrust(credentials),
    textTrust: simulatorTextTrust(credentials.text),
    ...(credentials.smtp ? { smtpTrust: credentials.smtp } : {}),
    ...(credentials.ses ? { sesTrust: credentials.ses } : {}),
    ...(credentials.sns ? { snsSigner: credentials.sns } : {}),
  });
}

/** A definition's builder, with the key it was built from (to see when the definition changed). */
interface Prepared {
  readonly key: string;
  readonly build: () => ReturnType<ReturnType<VendorFactory>>;
}

/** The fleet's adapters per lane, following the remote config's vendor definitions. */
class FleetBuilds {
  readonly #deployment: FleetDeployment;
  readonly #simulated: VendorCatalogue;
  readonly #options: VendorFleetOptions;
  readonly #factories: Readonly<Record<string, VendorFactory>>;
  readonly #lanes = new Map<Lane, LaneVendors>();
  /** What each vendor's adapters are built from now. */
  #prepared = new Map<string, Prepared>();
  #unbuilt: Record<string, string> = {};
  #started = false;

  constructor(deployment: FleetDeployment, simulated: VendorCatalogue, options: VendorFleetOptions) {
    this.#deployment = deployment;
    this.#simulated = simulated;
    this.#options = options;
    this.#factories = options.factories ?? VENDOR_FACTORIES;
  }

  /** The definitions of the current config this deployment can build (a simulator vendor needs the simulator). */
  definitions(): VendorDefinition[] {
    const definitions: VendorDefinition[] = [];
    for (const [id, settings] of Object.entries(this.#options.config.current().vendors)) {
      const ownChannels = channelsOf(settings);
      if (ownChannels) {
        if (!sendsToSimulator(settings) || this.#simulated.size > 0) {
          definitions.push({ id, settings, channels: ownChannels });
        }
        continue;
      }
      const channels = this.#simulated.get(id);
      if (channels) definitions.push({ id, settings, channels });
    }
    return definitions;
  }

  unbuilt(): Readonly<Record<string, string>> {
    return this.#unbuilt;
  }

  forLane(lane: Lane): LaneVendors {
    if (!this.#started) this.#start();
    let vendors = this.#lanes.get(lane);
    if (!vendors) {
      vendors = new LaneVendors();
      for (const [, prepared] of this.#prepared) vendors.put(prepared.build());
      this.#lanes.set(lane, vendors);
    }
    return vendors;
  }

  /**
   * At the first use: every definition prepared, and any that cannot be fails the start with
   * every such vendor listed (a worker must not run half-configured from its first message).
   */
  #start(): void {
    const failures: string[] = [];
    for (const definition of this.definitions()) {
      try {
        this.#prepared.set(definition.id, this.#prepare(definition));
      } catch (error) {
        failures.push((error as Error).message);
      }
    }
    if (failures.length > 0) throw new Error(`vendors cannot be built: ${failures.join('; ')}`);
    this.#started = true;
  }

  /**
   * A new config version: vendors whose definition changed are rebuilt in every lane, new ones
   * added, removed ones retired. One that cannot be built keeps its previous adapters (or has
   * none), is logged, and shows on /health until a later version fixes it.
   */
  apply(): void {
    if (!this.#started) return;
    const next = new Map<string, Prepared>();
    const unbuilt: Record<string, string> = {};
    for (const definition of this.definitions()) {
      const current = this.#prepared.get(definition.id);
      if (current?.key === adapterKey(definition.settings)) {
        next.set(definition.id, current);
        continue;
      }
      try {
        next.set(definition.id, this.#prepare(definition));
        const what = current ? 'vendor rebuilt from its new definition' : 'vendor added';
        this.#options.logger.info({ vendor: definition.id, kind: kindOf(definition.settings) }, what);
      } catch (error) {
        unbuilt[definition.id] = (error as Error).message;
        if (current) next.set(definition.id, current);
        this.#options.logger.error(
          { vendor: definition.id, reason: (error as Error).message },
          current ? 'vendor definition not applied; keeping its previous adapters' : 'vendor cannot be built',
        );
      }
    }
    for (const lane of this.#lanes.values()) {
      for (const id of lane.ids()) if (!next.has(id)) lane.remove(id);
      for (const [id, prepared] of next) if (this.#prepared.get(id) !== prepared) lane.put(prepared.build());
    }
    this.#prepared = next;
    this.#unbuilt = unbuilt;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#lanes.values()].map((lane) => lane.close()));
  }

  #prepare(definition: VendorDefinition): Prepared {
    const factory = this.#factories[kindOf(definition.settings)];
    if (!factory)
      throw new Error(`vendor ${definition.id}: no adapter for kind ${kindOf(definition.settings)}`);
    return { key: adapterKey(definition.settings), build: factory(definition, this.#deployment) };
  }
}
