import type { Migrations } from './migrations.ts';

/**
 * The media table, as in the embedded store: the image bytes keyed by their SHA-256, with the time
 * until which some message may still need them (epoch ms from herald's clock). bytea values of
 * 300 KB are TOASTed out of line, so the index scan of a purge never reads them.
 */
export const MEDIA_MIGRATIONS: Migrations = {
  component: 'media',
  scripts: [
    `
    CREATE TABLE media (
      sha256 text PRIMARY KEY,
      content bytea NOT NULL,
      bytes integer NOT NULL,
      keep_until bigint NOT NULL
    );
    CREATE INDEX media_by_keep_until ON media (keep_until);
    `,
  ],
};
