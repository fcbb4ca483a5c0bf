import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Behaviour, BehaviourPatch } from './behaviour.ts';
import { GENERIC_WIRE_CONTRACT } from './generic-wire-contract.ts';
import type { ReceiveListener, SimStats } from './receive-counter.ts';
import type { RandomSource } from './seeded-random.ts';
import { SimulatorFleet } from './simulator-fleet.ts';
import { createSimulatorRequestHandler } from './simulator-routes.ts';

export type { SimStats, VendorStats } from './receive-counter.ts';

export interface SimulatorServerOptions {
  /** Defaults to 127.0.0.1: the simulator has no auth and belongs on loopback. */
  readonly host?: string;
  /** Defaults to 0 (any free port; read it back from `port`). */
  readonly port?: number;
  /** The vendor ids to host, each with changes to its kind's default behaviour ({} for none). */
  readonly vendors: Readonly<Record<string, BehaviourPatch>>;
  /** Defaults to Math.random; pass createSeededRandom(seed) for a repeatable run. */
  readonly random?: RandomSource;
  /** Monotonic clock for rate limiting, ms; defaults to performance.now. */
  readonly now?: () => number;
}

/** A running simulator. Everything the HTTP control routes do is also here, for in-process use. */
export interface SimulatorServer {
  /** e.g. http://127.0.0.1:41234, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  stats(): SimStats;
  countFor(vendorId: string, messageId: string): number;
  /** Hung calls to `vendorId` that the caller closed (see ReceiveCounter.hangUps). */
  hangUps(vendorId: string): number;
  /** Applies live; throws UnknownVendorError or BehaviourError (listing every violation). */
  setBehaviour(vendorId: string, patch: BehaviourPatch): void;
  behaviourOf(vendorId: string): Behaviour;
  /** Calls `listener` on every delivery (for benchmarks timing arrivals); returns unsubscribe. */
  onReceive(listener: ReceiveListener): () => void;
  /** Zeroes counts, forgets idempotency keys, restores the starting behaviours. */
  reset(): void;
  /** Drops pending and hung requests, closes keep-alive sockets, and resolves when all are gone. */
  close(): Promise<void>;
}

/** Answers kept open for keep-alive reuse; longer than a client pool's idle timeout (undici: 4 s). */
const KEEP_ALIVE_TIMEOUT_MS = 30_000;

/**
 * Starts one HTTP server hosting many simulated vendors, speaking the generic simulator contract
 * (see generic-wire-contract.ts). Plain node:http: the hot path is one JSON parse, one timer and
 * one JSON write, and a framework would only add to that.
 */
export async function startSimulatorServer(options: SimulatorServerOptions): Promise<SimulatorServer> {
  const fleet = new SimulatorFleet({
    vendors: options.vendors,
    random: options.random ?? Math.random,
    now: options.now,
  });
  const lifetime = new AbortController();
  const server = createServer(
    { keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS, noDelay: true },
    createSimulatorRequestHandler({ fleet, contract: GENERIC_WIRE_CONTRACT, shutdown: lifetime.signal }),
  );
  const host = options.host ?? '127.0.0.1';
  server.listen({ host, port: options.port ?? 0, backlog: 4096 });
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    stats: () => fleet.counter.stats(),
    countFor: (vendorId, messageId) => fleet.counter.countFor(vendorId, messageId),
    hangUps: (vendorId) => fleet.counter.hangUps(vendorId),
    setBehaviour: (vendorId, patch) => {
      fleet.setBehaviour(vendorId, patch);
    },
    behaviourOf: (vendorId) => fleet.behaviourOf(vendorId),
    onReceive: (listener) => fleet.counter.onReceive(listener),
    reset: () => fleet.reset(),
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        lifetime.abort();
        server.close((error) => (error ? reject(error) : resolve()));
        // close() alone waits for hung requests and idle keep-alive sockets; end them now.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
