/**
 * The stages of accepting a request, in order, each timed on its own (herald_accept_stage_seconds):
 * - `checks`: validation, rendering every recipient's content, senders, opt-outs and images;
 * - `dedup`: the content-dedup claims (one dedup-store round trip; none without dedup.byContent);
 * - `queue`: the request's record on the history log and its messages on their lanes' topics (one
 *   transport round trip), and meanwhile the request remembered for read-your-writes (an
 *   idempotency-store round trip).
 * The `queued` events that follow are not waited for, so they are no stage of the answer.
 * The two round trips of `queue` are also timed each on its own, as `queue:produce` and
 * `queue:remember`: they overlap, so they do not add up to it, but they tell which of Kafka or the
 * idempotency store (Redis) an accept waited for.
 */
export type AcceptStage = 'checks' | 'dedup' | 'queue';
export type AcceptStagePart = 'queue:produce' | 'queue:remember';

/** Told how long each stage of an accepted request of `recipients` recipients took, in milliseconds. */
export type AcceptStageObserver = (
  stage: AcceptStage | AcceptStagePart,
  ms: number,
  recipients: number,
) => void;

/** Times consecutive stages: each `lap` ends one and starts the next. */
export function stageTimer(
  observe: AcceptStageObserver | undefined,
  recipients: number,
): (stage: AcceptStage) => void {
  if (observe === undefined) return () => {};
  let since = performance.now();
  return (stage) => {
    const now = performance.now();
    observe(stage, now - since, recipients);
    since = now;
  };
}

/** `work`, with its time told to `observe` as `part` once it has succeeded. */
export async function timedPart<T>(
  observe: AcceptStageObserver | undefined,
  part: AcceptStagePart,
  recipients: number,
  work: () => Promise<T>,
): Promise<T> {
  if (observe === undefined) return work();
  const since = performance.now();
  const result = await work();
  observe(part, performance.now() - since, recipients);
  return result;
}

/**
 * A request's size as a metric label: a 100-recipient accept renders and queues a hundred times
 * the work of a single one, so their times are kept apart (three values, a bounded label).
 */
export function recipientsLabel(recipients: number): '1' | '2-10' | '11-100' {
  return recipients <= 1 ? '1' : recipients <= 10 ? '2-10' : '11-100';
}
