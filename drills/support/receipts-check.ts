import pg from 'pg';
import type { SimulatorServer } from '../../src/simulators/simulator-server.ts';
import { ENGINE_URLS } from '../../test/support/engines.ts';
import { SMS_VENDORS } from './drill-simulator.ts';
import { sleep } from './verdict.ts';

/** The statuses a status callback carries (src/core/callbacks/callback-event.ts). */
const NOTIFYING = ['sent', 'delivered', 'undelivered', 'failed', 'expired', 'deferred'];

/** What herald's history (PostgreSQL, schema `herald_<namespace>`) says of the text receipts. */
export interface ReceiptsOutcome {
  /** Text messages a receipt vendor accepted that still stand at `sent` at the deadline. */
  readonly stillSent: number;
  readonly delivered: number;
  readonly undelivered: number;
  /** `vendor state carrier` where history's count differs from the simulator's tally, in words. */
  readonly carrierMismatches: readonly string[];
  /** `vendor state carrier` where history counts more than the simulators reported: never right. */
  readonly historyAhead: readonly string[];
  /**
   * Receipts the simulators reported beyond history's count: the first send of a message sent again
   * after the kill, whose look-up still ran (the message took its resend's id, so it matches no
   * message). At most the text messages sent twice.
   */
  readonly tallyAhead: number;
  /** `state carrier=n` over the receipt vendors, as history counts them (for the log line). */
  readonly byCarrier: string;
  /** Messages (text or AlimTalk) with two delivery-result events of one state: a receipt applied twice. */
  readonly appliedTwice: number;
  /**
   * The AlimTalk messages among them: a Kakao result check redone after the kill (its record was not
   * yet committed) whose result was written again. Its result goes through the receipts worker,
   * which writes nothing for a state the message already has, so none are expected.
   */
  readonly alimtalkResultsRepeated: number;
  /** Messages with a delivered and an undelivered event: a second fate, recorded but not applied. */
  readonly secondFates: number;
  readonly receiptsReported: number;
  /** How long the history took to have no text message left at `sent`, ms. */
  readonly settledAfterMs: number;
}

/**
 * Waits (up to `timeoutMs`) until no text message of a receipt vendor stands at `sent`, then compares
 * history with the simulators' own receipt tally: each final receipt a vendor reported, per vendor,
 * outcome and carrier, must be the state and carrier of exactly one message; and no message may
 * carry two results of the same state (a receipt applied twice to its final state).
 */
export async function checkReceipts(
  namespace: string,
  sim: SimulatorServer,
  timeoutMs: number,
): Promise<ReceiptsOutcome> {
  const began = Date.now();
  const db = new pg.Client({ connectionString: ENGINE_URLS.postgres });
  await db.connect();
  const schema = `"herald_${namespace}"`;
  try {
    let stillSent = await countStillSent(db, schema);
    while (stillSent > 0 && Date.now() - began < timeoutMs) {
      await sleep(1_000);
      stillSent = await countStillSent(db, schema);
    }
    const settledAfterMs = Date.now() - began;
    // A receipt the receipts worker has not applied yet shows as `sent` above; the tally may still
    // move for a look-up answered just now: read both once the history has settled.
    await sleep(2_000);
    const history = await historyCounts(db, schema);
    const tally = sim.stats().receipts ?? {};
    const { carrierMismatches, historyAhead, tallyAhead } = compareWithTally(history, tally);
    const twice = await db.query<{ same: boolean; text: boolean }>(
      `SELECT count(DISTINCT e.status) = 1 AS same, bool_or(m.vendor = ANY($1)) AS text
         FROM ${schema}.message_events e JOIN ${schema}.messages m ON m.message_id = e.message_id
        WHERE e.status IN ('delivered', 'undelivered') GROUP BY e.message_id HAVING count(*) > 1`,
      [SMS_VENDORS],
    );
    const text = twice.rows.filter((row) => row.text);
    return {
      stillSent,
      delivered: sum(history, 'delivered'),
      undelivered: sum(history, 'undelivered'),
      carrierMismatches,
      historyAhead,
      tallyAhead,
      byCarrier: describe(history),
      appliedTwice: twice.rows.filter((row) => row.same).length,
      alimtalkResultsRepeated: twice.rows.filter((row) => !row.text && row.same).length,
      secondFates: text.filter((row) => !row.same).length,
      receiptsReported: receiptsReported(sim),
      settledAfterMs,
    };
  } finally {
    await db.end();
  }
}

/** Final receipts the simulated text vendors reported so far (each message once). */
export function receiptsReported(sim: SimulatorServer): number {
  let n = 0;
  for (const counts of Object.values(sim.stats().receipts ?? {})) {
    for (const side of [counts.delivered, counts.undelivered]) {
      for (const count of Object.values(side)) n += count ?? 0;
    }
  }
  return n;
}

/**
 * Every (message, status) a status callback should have carried: each notifying status a message
 * of the namespace's history went through (the drill's one client owns them all).
 */
export async function expectedCallbacks(namespace: string): Promise<{ messageId: string; status: string }[]> {
  const db = new pg.Client({ connectionString: ENGINE_URLS.postgres });
  await db.connect();
  try {
    const rows = await db.query<{ message_id: string; status: string }>(
      `SELECT DISTINCT message_id, status FROM "herald_${namespace}".message_events WHERE status = ANY($1)`,
      [NOTIFYING],
    );
    return rows.rows.map((row) => ({ messageId: row.message_id, status: row.status }));
  } finally {
    await db.end();
  }
}

async function countStillSent(db: pg.Client, schema: string): Promise<number> {
  const rows = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM ${schema}.messages WHERE status = 'sent' AND vendor = ANY($1)`,
    [SMS_VENDORS],
  );
  return Number(rows.rows[0]!.n);
}

type Counts = Map<string, number>;

/** `vendor state carrier` -> messages in that final state, over the receipt vendors. */
async function historyCounts(db: pg.Client, schema: string): Promise<Counts> {
  const rows = await db.query<{ vendor: string; status: string; carrier: string; n: string }>(
    `SELECT vendor, status, coalesce(carrier, 'unknown') AS carrier, count(*) AS n FROM ${schema}.messages
      WHERE status IN ('delivered', 'undelivered') AND vendor = ANY($1) GROUP BY 1, 2, 3`,
    [SMS_VENDORS],
  );
  return new Map(rows.rows.map((row) => [`${row.vendor} ${row.status} ${row.carrier}`, Number(row.n)]));
}

function compareWithTally(
  history: Counts,
  tally: NonNullable<ReturnType<SimulatorServer['stats']>['receipts']>,
): Pick<ReceiptsOutcome, 'carrierMismatches' | 'historyAhead' | 'tallyAhead'> {
  const simulated: Counts = new Map();
  for (const [vendor, counts] of Object.entries(tally)) {
    if (!SMS_VENDORS.includes(vendor)) continue;
    for (const [state, side] of Object.entries(counts)) {
      for (const [carrier, n] of Object.entries(side as Record<string, number>)) {
        simulated.set(`${vendor} ${state} ${carrier}`, n);
      }
    }
  }
  const keys = [...new Set([...history.keys(), ...simulated.keys()])];
  const inWords = (key: string) =>
    `${key}: history ${history.get(key) ?? 0}, simulator ${simulated.get(key) ?? 0}`;
  const difference = (key: string) => (simulated.get(key) ?? 0) - (history.get(key) ?? 0);
  return {
    carrierMismatches: keys.filter((key) => difference(key) !== 0).map(inWords),
    historyAhead: keys.filter((key) => difference(key) < 0).map(inWords),
    tallyAhead: keys.reduce((sum, key) => sum + Math.max(0, difference(key)), 0),
  };
}

function sum(counts: Counts, state: string): number {
  let n = 0;
  for (const [key, count] of counts) if (key.split(' ')[1] === state) n += count;
  return n;
}

/** `delivered SKT=n KT=n ..., undelivered ...` summed over vendors. */
function describe(counts: Counts): string {
  const byStateCarrier = new Map<string, number>();
  for (const [key, n] of counts) {
    const [, state, carrier] = key.split(' ');
    byStateCarrier.set(`${state} ${carrier}`, (byStateCarrier.get(`${state} ${carrier}`) ?? 0) + n);
  }
  return ['delivered', 'undelivered']
    .map(
      (state) =>
        `${state} ${[...byStateCarrier]
          .filter(([key]) => key.startsWith(`${state} `))
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([key, n]) => `${key.split(' ')[1]}=${n}`)
          .join(' ')}`,
    )
    .join(', ');
}
