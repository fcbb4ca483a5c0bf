/** A trickle message as lane isolation times it. */
export interface PhasedSample {
  /** The phase when its POST was answered. */
  readonly phase: 'idle' | 'flood' | 'after';
  readonly messageId: string;
  /** Epoch ms the lane's part began (the `queued` event). */
  readonly acceptedAt: number;
}

export interface PhaseSamples<S extends PhasedSample> {
  /** The phase's samples that count: received or lost, none straddling. */
  readonly counted: readonly S[];
  /** queued -> vendor receipt of each counted sample the vendor received, ms. */
  readonly latencies: readonly number[];
  /** Counted samples the vendor never received. */
  readonly lost: number;
  /**
   * Samples of the phase the vendor received at or after `endsAt`: accepted in one phase, delivered
   * in the next, so their latency belongs to neither (an idle message caught by the flood's start).
   */
  readonly straddling: number;
}

/** The samples of `phase` and their latencies, given each message's vendor receipt (epoch ms). */
export function phaseSamples<S extends PhasedSample>(
  samples: readonly S[],
  phase: PhasedSample['phase'],
  received: ReadonlyMap<string, number>,
  endsAt = Number.POSITIVE_INFINITY,
): PhaseSamples<S> {
  const counted: S[] = [];
  const latencies: number[] = [];
  let straddling = 0;
  for (const sample of samples) {
    if (sample.phase !== phase) continue;
    const at = received.get(sample.messageId);
    if (at !== undefined && at >= endsAt) {
      straddling += 1;
      continue;
    }
    counted.push(sample);
    if (at !== undefined) latencies.push(at - sample.acceptedAt);
  }
  return { counted, latencies, lost: counted.length - latencies.length, straddling };
}
