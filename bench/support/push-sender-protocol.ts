import type { BenchServiceAccount } from './bench-service-account.ts';
import type { TallySummary } from './send-tally.ts';

/**
 * The conversation between the bench and a push-sender child (push-sender-child.ts): the config
 * travels in the child's environment (SENDER_CONFIG_ENV, JSON), so it is there before the child
 * could miss an IPC message; then over the fork IPC channel: child -> `warmed` (warm-up done,
 * measured messages built); bench -> `go` (after reading the simulator's counters); child ->
 * `result` (or `error`), then it exits.
 */
export type SenderName = 'firebase-admin' | 'herald';

export interface SenderRunConfig {
  readonly sender: SenderName;
  /** The FCM simulator's origin (h2c and HTTP/1.1 on one port). */
  readonly simulatorUrl: string;
  /** The simulated FCM vendor id: the path prefix its routes sit under. */
  readonly vendorId: string;
  readonly account: BenchServiceAccount;
  readonly messages: number;
  /** Sent (and not measured) before `warmed`: JIT, the OAuth grant and first sessions out of the way. */
  readonly warmUpMessages: number;
  /** Requests in flight: firebase-admin's batch size, herald's concurrent sends. */
  readonly inFlight: number;
}

export interface SenderRunResult extends TallySummary {
  readonly sender: SenderName;
  readonly messages: number;
  /** First message handed to the sender to the last outcome. */
  readonly elapsedMs: number;
  /** process.cpuUsage() of the sender's process over the same window, µs. */
  readonly cpuUserUs: number;
  readonly cpuSystemUs: number;
  /** HTTP/2 sessions the sender opened in the window, counted on its side (undefined: not countable). */
  readonly sessionsOpened: number | undefined;
  /** firebase-admin only: per stream, request() to close (queueing behind the 100-stream limit included). */
  readonly streamLatencyMs?: { readonly p50: number; readonly p99: number };
  readonly maxRssMiB: number;
}

export const SENDER_CONFIG_ENV = 'HERALD_BENCH_PUSH_SENDER';

export type ToChild = { readonly type: 'go' };
export type FromChild =
  | { readonly type: 'warmed' }
  | { readonly type: 'result'; readonly result: SenderRunResult }
  | { readonly type: 'error'; readonly message: string };

/**
 * One sender, as the child drives it. `prepare` builds the sender's own message objects (outside
 * the measured window: both senders get their input ready-made) and returns the measured run.
 */
export interface BenchSender {
  prepare(
    pushes: readonly import('./push-bench-messages.ts').BenchPush[],
    tally: import('./send-tally.ts').SendTally,
  ): () => Promise<void>;
  /** Sessions opened so far, counted on the sender's side; undefined when it cannot count them. */
  sessionsOpened(): number | undefined;
  /** firebase-admin only: stream latencies recorded since the last call (then forgotten). */
  takeStreamLatencies?(): Float64Array;
  close(): Promise<void>;
}
