import type { Migrations } from './migrations.ts';

/**
 * The template tables, as in the embedded store: the template (key, revision, JSON document), its
 * kept versions, and the audit trail. Times inside the documents and `at` are epoch ms from
 * herald's clock, as in the other herald tables.
 */
export const TEMPLATE_MIGRATIONS: Migrations = {
  component: 'templates',
  scripts: [
    `
    CREATE TABLE alimtalk_templates (
      client_id text NOT NULL,
      code text NOT NULL,
      revision integer NOT NULL,
      doc jsonb NOT NULL,
      PRIMARY KEY (client_id, code)
    );
    CREATE TABLE alimtalk_template_versions (
      client_id text NOT NULL,
      code text NOT NULL,
      version integer NOT NULL,
      doc jsonb NOT NULL,
      PRIMARY KEY (client_id, code, version)
    );
    CREATE TABLE alimtalk_template_audit (
      id bigserial PRIMARY KEY,
      client_id text NOT NULL,
      code text NOT NULL,
      vendor_id text,
      at bigint NOT NULL,
      action text NOT NULL,
      detail text NOT NULL
    );
    CREATE INDEX alimtalk_template_audit_by_template ON alimtalk_template_audit (client_id, code, id);
    `,
  ],
};
