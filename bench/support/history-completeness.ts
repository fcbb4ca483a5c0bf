import pg from 'pg';
import { TERMINAL_STATUSES } from '../../src/core/domain/message-status.ts';
import { epochNowMs } from '../../src/simulators/receive-counter.ts';

export interface HistoryComplete {
  /** When history had every message final (epoch ms, the simulator's clock). */
  readonly completeAt: number;
  /** Statements this check sent to PostgreSQL (a scenario counting herald's own subtracts them). */
  readonly queries: number;
}

/**
 * Waits until herald's history (PostgreSQL schema `herald_<namespace>`) holds at least `expected`
 * messages, every one in a final state: the history writer has folded the whole run into the
 * projection. One count a poll. Throws after `timeoutMs` with what was missing: a bench that
 * keeps its history must have it complete.
 */
export async function waitForCompleteHistory(
  databaseUrl: string,
  namespace: string,
  expected: number,
  timeoutMs: number,
): Promise<HistoryComplete> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const deadline = Date.now() + timeoutMs;
  let queries = 0;
  try {
    for (;;) {
      queries += 1;
      const rows = await db.query<{ final: string; all: string }>(
        `SELECT count(*) FILTER (WHERE status = ANY($1)) AS final, count(*) AS all
           FROM "herald_${namespace}".messages`,
        [[...TERMINAL_STATUSES]],
      );
      const final = Number(rows.rows[0]!.final);
      const all = Number(rows.rows[0]!.all);
      if (final >= expected && final === all) return { completeAt: epochNowMs(), queries };
      if (Date.now() > deadline) {
        throw new Error(
          `history incomplete ${timeoutMs} ms after the run: ${final} of ${expected} messages final, ${all - final} not yet`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await db.end();
  }
}
