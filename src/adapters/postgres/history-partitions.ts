import type { Pool } from 'pg';
import { PARTITIONED_TABLES } from './history-schema.ts';
import { SCHEMA_LOCK_CLASS } from './migrations.ts';
import { quoteIdentifier } from './pg-connection.ts';

/**
 * One partition per UTC month (default) or per UTC day. Months keep the partition count small,
 * which matters because lookups by message id alone (the worker's state updates) probe every
 * partition's index; days suit very large volumes, where retention should drop a day at a time.
 */
export type PartitionPeriod = 'month' | 'day';

export interface PartitionBounds {
  /** Suffix of every table's partition for this period: p2025_06 or p2025_06_15. */
  readonly suffix: string;
  readonly from: Date;
  readonly to: Date;
}

/** Created ahead at start and every hour after, so writes almost never wait for DDL. */
const PERIODS_AHEAD: Record<PartitionPeriod, number> = { month: 2, day: 7 };

export function partitionBounds(time: number, period: PartitionPeriod): PartitionBounds {
  const at = new Date(time);
  const year = at.getUTCFullYear();
  const month = at.getUTCMonth();
  const day = period === 'day' ? at.getUTCDate() : 1;
  const from = new Date(Date.UTC(year, month, day));
  const to =
    period === 'day' ? new Date(Date.UTC(year, month, day + 1)) : new Date(Date.UTC(year, month + 1, 1));
  const parts = [String(year), String(month + 1).padStart(2, '0')];
  if (period === 'day') parts.push(String(day).padStart(2, '0'));
  return { suffix: `p${parts.join('_')}`, from, to };
}

/**
 * Keeps a partition in place for every time the store writes. A partition known to exist is
 * remembered, so the usual write costs nothing here; a time outside the prepared range (a late
 * event, a clock far off, a test's fixed date) gets its partition on the spot instead of failing
 * the write. There is no DEFAULT partition on purpose: rows landing there would later block
 * creating the proper partition for their range.
 */
export class HistoryPartitions {
  readonly #pool: Pool;
  readonly #schema: string;
  readonly #period: PartitionPeriod;
  readonly #known = new Set<string>();
  /** The range of the last partition a time was found in (ms): most times of a write fall in it. */
  #lastFrom = 0;
  #lastTo = 0;

  constructor(pool: Pool, schema: string, period: PartitionPeriod) {
    this.#pool = pool;
    this.#schema = schema;
    this.#period = period;
  }

  /** The current period, the one before (late events) and the next few. */
  async prepareAhead(now: number = Date.now()): Promise<void> {
    const times = [partitionBounds(now, this.#period).from.getTime() - 1];
    let bounds = partitionBounds(now, this.#period);
    for (let i = 0; i <= PERIODS_AHEAD[this.#period]; i++) {
      times.push(bounds.from.getTime());
      bounds = partitionBounds(bounds.to.getTime(), this.#period);
    }
    await this.ensureFor(times);
  }

  async ensureFor(times: Iterable<number>): Promise<void> {
    const missing = new Map<string, PartitionBounds>();
    for (const time of times) {
      // Checked before any bounds are built: the history writer asks here for every event it applies.
      if (time >= this.#lastFrom && time < this.#lastTo) continue;
      const bounds = partitionBounds(time, this.#period);
      if (!this.#known.has(bounds.suffix)) {
        missing.set(bounds.suffix, bounds);
        continue;
      }
      this.#lastFrom = bounds.from.getTime();
      this.#lastTo = bounds.to.getTime();
    }
    if (missing.size === 0) return;
    await this.#pool.query(this.#createScript([...missing.values()]));
    for (const suffix of missing.keys()) this.#known.add(suffix);
  }

  /**
   * One round trip: several statements in one simple query run as one implicit transaction, so
   * the schema's advisory lock (the migrations' too: two processes creating the same partition
   * would race in the catalog) is held to the end, and a failure leaves nothing half made and the connection clean.
   */
  #createScript(periods: readonly PartitionBounds[]): string {
    const schema = quoteIdentifier(this.#schema);
    const statements = [`SELECT pg_advisory_xact_lock(${SCHEMA_LOCK_CLASS}, hashtext('${this.#schema}'))`];
    for (const { suffix, from, to } of periods) {
      for (const table of PARTITIONED_TABLES) {
        statements.push(
          `CREATE TABLE IF NOT EXISTS ${schema}.${quoteIdentifier(`${table}_${suffix}`)} ` +
            `PARTITION OF ${schema}.${table} FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`,
        );
      }
    }
    return `${statements.join(';\n')};`;
  }
}
