import type { Migrations } from './migrations.ts';

/**
 * The schedule table, as in the embedded store. Times are epoch ms (bigint) from herald's clock,
 * not the database's: what is due is decided by the caller's `now`, the clock the pipeline uses.
 * `visible_at` is the due time, or the end of the lease of the claim holding the row, so one index
 * answers "due and not claimed" with a range scan whatever waits behind.
 */
export const SCHEDULE_MIGRATIONS: Migrations = {
  component: 'schedule',
  scripts: [
    `
    CREATE TABLE scheduled_records (
      queue text NOT NULL,
      id text NOT NULL,
      due_at bigint NOT NULL,
      visible_at bigint NOT NULL,
      claim uuid,
      value text NOT NULL,
      PRIMARY KEY (queue, id)
    );
    CREATE INDEX scheduled_records_by_visibility ON scheduled_records (queue, visible_at);
    `,
  ],
};
