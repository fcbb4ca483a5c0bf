import type { HistoryCompleteness, RepeatedEvents } from './history-check.ts';

/** The history writer when it was SIGKILLed. */
export interface WriterAtKill {
  /** Messages the simulators had received. */
  readonly received: number;
  /** Its herald_history_lag_seconds just before (> 0: it had records read and not yet applied). */
  readonly lagSeconds: number;
}

export interface HistoryOutcome extends HistoryCompleteness {
  readonly repeated: RepeatedEvents;
  /** Highest herald_history_lag_seconds read from the history writers over the flood. */
  readonly maxLagSeconds: number;
  readonly writerAtKill: WriterAtKill;
}

/**
 * History through the writer's kill: every message final, as many vendor-accepted as the simulators
 * received (one per message, however often sent), and no event applied twice.
 */
export function historyBroken(h: HistoryOutcome, simulatorsSent: number): string[] {
  const broken: string[] = [];
  if (h.unfinished > 0) {
    broken.push(`${h.unfinished} messages not final in history, e.g. ${h.unfinishedSample.join(', ')}`);
  }
  if (h.vendorAccepted !== simulatorsSent) {
    broken.push(
      `history has ${h.vendorAccepted} messages accepted by a vendor, the simulators ${simulatorsSent}`,
    );
  }
  if (h.repeated.extra > 0) {
    broken.push(
      `${h.repeated.extra} events applied twice on ${h.repeated.messages} messages, e.g. ${h.repeated.sample.join(', ')}`,
    );
  }
  return broken;
}

export function historyLine(h: HistoryOutcome, simulatorsSent: number): string {
  return (
    `history (writer SIGKILLed at ${h.writerAtKill.received} delivered, ${h.writerAtKill.lagSeconds.toFixed(2)} s ` +
    `behind; lag at most ${h.maxLagSeconds.toFixed(2)} s): ${h.unfinished} messages not final after ` +
    `${(h.completeAfterMs / 1000).toFixed(1)} s, ${h.vendorAccepted} accepted by a vendor (simulators ` +
    `${simulatorsSent}), ${h.repeated.extra} events applied twice`
  );
}

export function historyFigures(h: HistoryOutcome): Record<string, number> {
  return {
    historyUnfinished: h.unfinished,
    historyVendorAccepted: h.vendorAccepted,
    historyCompleteAfterMs: h.completeAfterMs,
    historyEventsAppliedTwice: h.repeated.extra,
    historyMessagesWithEventsTwice: h.repeated.messages,
    historyMaxLagSeconds: h.maxLagSeconds,
    historyWriterKilledAt: h.writerAtKill.received,
    historyWriterLagAtKill: h.writerAtKill.lagSeconds,
  };
}
