/**
 * A ratio of two rates measured as rounds of pairs, the two sides run back to back in each round
 * and in alternating order (A B, B A, A B...), so that what drifts on a shared machine over a run
 * (another tenant's load, the broker's log cleaning, the page cache) weighs on both sides of a
 * ratio alike. One pair of runs read 0.36 to 0.62 for the same code across bench runs; the median
 * round's ratio is reported, with every round's beside it.
 */
export interface Rated {
  readonly perSecond: number;
}

export interface PairedRound<S extends Rated, B extends Rated> {
  readonly subject: S;
  readonly baseline: B;
  /** subject.perSecond / baseline.perSecond */
  readonly ratio: number;
}

export interface PairedRatio<S extends Rated, B extends Rated> {
  readonly rounds: readonly PairedRound<S, B>[];
  /** The round whose ratio is the median (the lower middle one for an even count). */
  readonly median: PairedRound<S, B>;
}

/** Whether the subject runs first in round `index` (0-based): in even rounds; the baseline in odd. */
export function subjectFirst(index: number): boolean {
  return index % 2 === 0;
}

/** Runs `count` rounds of `subject` and `baseline`, alternating which goes first. */
export async function pairedRounds<S extends Rated, B extends Rated>(
  count: number,
  run: { subject: (round: number) => Promise<S>; baseline: (round: number) => Promise<B> },
): Promise<PairedRatio<S, B>> {
  if (count < 1) throw new Error('at least one round');
  const rounds: PairedRound<S, B>[] = [];
  for (let i = 0; i < count; i += 1) {
    let subject: S;
    let baseline: B;
    if (subjectFirst(i)) {
      subject = await run.subject(i);
      baseline = await run.baseline(i);
    } else {
      baseline = await run.baseline(i);
      subject = await run.subject(i);
    }
    rounds.push({ subject, baseline, ratio: subject.perSecond / baseline.perSecond });
  }
  return { rounds, median: medianRound(rounds) };
}

export function medianRound<S extends Rated, B extends Rated>(
  rounds: readonly PairedRound<S, B>[],
): PairedRound<S, B> {
  const sorted = [...rounds].sort((a, b) => a.ratio - b.ratio);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}
