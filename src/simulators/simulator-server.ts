import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import type { Behaviour, BehaviourPatch } from './behaviour.ts';
import { listenDualProtocol } from './dual-protocol-port.ts';
import { GENERIC_WIRE_CONTRACT } from './generic-wire-contract.ts';
import { H2Endpoint, type H2Stats } from './h2-endpoint.ts';
import { PUSH_WIRE_CONTRACTS } from './push-contracts.ts';
import { pushControls } from './push-controls.ts';
import { PushSimulation } from './push-simulation.ts';
import { createPushStreamHandler } from './push-stream-routes.ts';
import type { PushTrust } from './push-trust.ts';
import type { ReceiveListener, SimStats } from './receive-counter.ts';
import type { RandomSource } from './seeded-random.ts';
import type { SesTrust } from './ses/ses-credentials.ts';
import type { SnsSigner } from './ses/sns-notifier.ts';
import { SimulatorFleet } from './simulator-fleet.ts';
import { createSimulatorRequestHandler } from './simulator-routes.ts';
import { SMTP_SIMULATOR_VENDOR, type SmtpTrust } from './smtp/smtp-credentials.ts';
import { type SmtpServerTls, type SmtpSimulator, startSmtpSimulator } from './smtp/smtp-simulator.ts';
import type { ReceiptCounts } from './text/receipt-tally.ts';
import { TextSimulation } from './text/text-simulation.ts';
import type { TextTrust } from './text/text-trust.ts';

export type { H2Stats } from './h2-endpoint.ts';
export type { ApnsTrust, FcmTrust, PushTrust } from './push-trust.ts';
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
  /**
   * The credentials the push contracts check: FCM service accounts (their OAuth grants and the
   * project each may send to), APNs provider keys. An FCM vendor without an entry answers 401.
   */
  readonly pushTrust?: PushTrust;
  /** `expires_in` of issued OAuth access tokens, seconds (Google: 3599); short in refresh tests. */
  readonly accessTokenTtlSeconds?: number;
  /**
   * Wall clock (epoch ms) the push contracts judge credentials by: the age of an APNs provider token
   * and how often a connection changes it. Tests move it with the adapter's clock; default Date.now.
   */
  readonly epochNow?: () => number;
  /**
   * The Korean text vendors' accounts the simulator checks calls against (NHN appKey and secret
   * key, SENS access key, secret key and service id, SOLAPI API key and secret), by vendor id. A
   * text vendor without an entry refuses every call as its vendor refuses a wrong credential.
   */
  readonly textTrust?: TextTrust;
  /**
   * The access key the SES API of vendor `ses` (`/ses/v2/email/outbound-emails`) verifies SigV4
   * signatures with; without one every call is refused as an unknown key.
   */
  readonly sesTrust?: SesTrust;
  /**
   * What SES' delivery and bounce notifications are signed with, as SNS signs them; they are posted
   * to the URL set for vendor `ses` (`text.webhooks`, `PUT /_sim/vendors/ses/webhook`). Absent,
   * none are posted.
   */
  readonly snsSigner?: SnsSigner;
  /** The account the SMTP server (vendor `smtp`) takes AUTH from; without one every AUTH is refused. */
  readonly smtpTrust?: SmtpTrust;
  /** Port of the SMTP server, on `host`; default 0 (any free one). Only when vendor `smtp` is hosted. */
  readonly smtpPort?: number;
  /** TLS of the SMTP server (STARTTLS or implicit, with this certificate); default plain. */
  readonly smtpTls?: SmtpServerTls;
}

/** A running simulator. Everything the HTTP control routes do is also here, for in-process use. */
export interface SimulatorServer {
  /** e.g. http://127.0.0.1:41234, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /**
   * What each vendor received, the receipts the text vendors reported (receipt-tally.ts) and the
   * rows their result lists answered.
   */
  stats(): SimStats & {
    readonly receipts: Readonly<Record<string, ReceiptCounts>>;
    readonly listedRows: Readonly<Record<string, number>>;
  };
  countFor(vendorId: string, messageId: string): number;
  /** Hung calls to `vendorId` that the caller closed (see ReceiveCounter.hangUps). */
  hangUps(vendorId: string): number;
  /** Applies live; throws UnknownVendorError or BehaviourError (listing every violation). */
  setBehaviour(vendorId: string, patch: BehaviourPatch): void;
  behaviourOf(vendorId: string): Behaviour;
  /** Calls `listener` on every delivery (for benchmarks timing arrivals); returns unsubscribe. */
  onReceive(listener: ReceiveListener): () => void;
  /** From now on these device tokens answer FCM 404 UNREGISTERED / APNs 410 Unregistered. */
  markTokensDead(vendorId: string, tokens: readonly string[]): void;
  /** Every OAuth access token issued so far for the FCM vendor's service account answers 401. */
  revokeAccessTokens(vendorId: string): void;
  /** OAuth access tokens issued for the FCM vendor's service account since start. */
  accessTokensIssued(vendorId: string): number;
  /** Distinct valid APNs provider tokens the vendor's clients authenticated with since start. */
  providerTokensAccepted(vendorId: string): number;
  /** Graceful GOAWAY on every HTTP/2 session now; returns how many sessions were told. */
  goAway(): number;
  /** Cuts every HTTP/2 connection at once, as a crashed front end would; returns how many. */
  dropConnections(): number;
  h2Stats(): H2Stats;
  /** The Korean text vendors' records and controls (Kakao audience, sender numbers, templates...). */
  readonly text: TextSimulation;
  /** The SMTP relay of vendor `smtp`, on its own port; absent when that vendor is not hosted. */
  readonly smtp: SmtpSimulator | undefined;
  /** Cuts every HTTP/1.1 connection (keep-alive ones included) at once; returns how many. */
  dropHttp1Connections(): number;
  /** HTTP/1.1 connections accepted since start (a client that reconnects shows here). */
  http1ConnectionsOpened(): number;
  /** Zeroes counts and HTTP/2 stats, forgets idempotency keys and dead tokens, restores behaviours. */
  reset(): void;
  /** Drops pending and hung requests, closes keep-alive sockets, and resolves when all are gone. */
  close(): Promise<void>;
}

/** Answers kept open for keep-alive reuse; longer than a client pool's idle timeout (undici: 4 s). */
const KEEP_ALIVE_TIMEOUT_MS = 30_000;

/**
 * Starts the simulator on one port for both protocols: HTTP/1.1 for the generic contract, the
 * control routes and Google's token endpoint; HTTP/2 prior knowledge (h2c) for the push contracts
 * (FCM `/<vendorId>/v1/projects/<project>/messages:send`, APNs `/<vendorId>/3/device/<token>`).
 * Plain node:http and node:http2: the hot path is one JSON parse, one timer and one JSON write.
 * When vendor `smtp` is hosted, an SMTP server on a port of its own (smtp/smtp-simulator.ts).
 */
export async function startSimulatorServer(options: SimulatorServerOptions): Promise<SimulatorServer> {
  const random = options.random ?? Math.random;
  const fleet = new SimulatorFleet({ vendors: options.vendors, random, now: options.now });
  const push = new PushSimulation({
    trust: options.pushTrust,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds,
    now: options.epochNow,
  });
  const text = new TextSimulation(options.textTrust, options.epochNow);
  const lifetime = new AbortController();
  const shutdown = lifetime.signal;
  const h2 = new H2Endpoint(
    createPushStreamHandler({ fleet, push, contracts: PUSH_WIRE_CONTRACTS, shutdown }),
  );
  const reset = (): void => {
    fleet.reset();
    push.deadTokens.clear();
    text.reset();
    h2.resetStats();
  };
  const http1 = createServer(
    { keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS, noDelay: true },
    createSimulatorRequestHandler({
      fleet,
      contract: GENERIC_WIRE_CONTRACT,
      push,
      text,
      ses: options.sesTrust,
      snsSigner: options.snsSigner,
      h2,
      reset,
      shutdown,
    }),
  );
  // node:http's closeAllConnections() gives no count, and tests want to see a connection dropped.
  const http1Connections = new Set<Socket>();
  let http1Opened = 0;
  http1.on('connection', (socket: Socket) => {
    http1Opened += 1;
    http1Connections.add(socket);
    socket.once('close', () => http1Connections.delete(socket));
  });
  const host = options.host ?? '127.0.0.1';
  const listening = await listenDualProtocol({
    host,
    port: options.port ?? 0,
    http1,
    http2: (socket) => h2.accept(socket),
  });
  const { port } = listening;
  const smtpVendor = fleet.vendor(SMTP_SIMULATOR_VENDOR);
  const smtp = smtpVendor
    ? await startSmtpSimulator({
        host,
        port: options.smtpPort ?? 0,
        trust: options.smtpTrust,
        ...(options.smtpTls && { tls: options.smtpTls }),
        vendor: smtpVendor,
        counter: fleet.counter,
        shutdown,
      }).catch(async (error: unknown) => {
        await listening.close();
        throw error;
      })
    : undefined;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    stats: () => ({
      ...fleet.counter.stats(),
      receipts: text.results.tally.counts(),
      listedRows: text.results.listedRows(),
    }),
    countFor: (vendorId, messageId) => fleet.counter.countFor(vendorId, messageId),
    hangUps: (vendorId) => fleet.counter.hangUps(vendorId),
    setBehaviour: (vendorId, patch) => {
      fleet.setBehaviour(vendorId, patch);
    },
    behaviourOf: (vendorId) => fleet.behaviourOf(vendorId),
    onReceive: (listener) => fleet.counter.onReceive(listener),
    ...pushControls(fleet, push, h2),
    text,
    smtp,
    dropHttp1Connections: () => {
      const open = http1Connections.size;
      for (const socket of http1Connections) socket.destroy();
      return open;
    },
    http1ConnectionsOpened: () => http1Opened,
    reset,
    close: () => {
      lifetime.abort();
      h2.destroyAll();
      closing ??= Promise.all([listening.close(), smtp?.close()]).then(() => undefined);
      return closing;
    },
  };
}
