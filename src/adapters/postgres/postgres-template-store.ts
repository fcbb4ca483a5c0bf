import type { Pool } from 'pg';
import type { AlimTalkTemplate, TemplateVersion } from '../../core/templates/alimtalk-template.ts';
import type { TemplateAuditEntry, TemplateStore } from '../../ports/template-store.ts';
import type { AuditRow } from '../template-rows.ts';
import { templateDoc, toAuditEntry, versionDoc } from '../template-rows.ts';
import { runMigrations } from './migrations.ts';
import type { PostgresConnectionOptions } from './pg-connection.ts';
import { createPool, isPoolHealthy, quoteIdentifier, resolveConnection } from './pg-connection.ts';
import { guardPostgres } from './pg-failure.ts';
import { inTransaction } from './pg-transaction.ts';
import { StartOnce } from './start-once.ts';
import { TEMPLATE_MIGRATIONS } from './template-schema.ts';

export type PostgresTemplateStoreOptions = PostgresConnectionOptions;

/**
 * The production template store, in herald's PostgreSQL schema. A save is one short transaction:
 * the guarded write (INSERT ... ON CONFLICT DO NOTHING for a new template, UPDATE ... WHERE
 * revision for an existing one) and the version row, so a lost race writes nothing at all.
 */
export class PostgresTemplateStore implements TemplateStore {
  readonly #pool: Pool;
  readonly #schema: string;
  readonly #start: StartOnce;

  constructor(options: PostgresTemplateStoreOptions) {
    const connection = resolveConnection(options);
    this.#pool = createPool(connection);
    this.#schema = quoteIdentifier(connection.schema);
    this.#start = new StartOnce(() => runMigrations(this.#pool, connection.schema, TEMPLATE_MIGRATIONS));
  }

  async get(clientId: string, code: string): Promise<AlimTalkTemplate | undefined> {
    const { rows } = await this.#run('get', () =>
      this.#pool.query<{ doc: AlimTalkTemplate }>(
        `SELECT doc FROM ${this.#schema}.alimtalk_templates WHERE client_id = $1 AND code = $2`,
        [clientId, code],
      ),
    );
    return rows[0]?.doc;
  }

  async list(clientId?: string): Promise<AlimTalkTemplate[]> {
    const { rows } = await this.#run('list', () =>
      clientId === undefined
        ? this.#pool.query<{ doc: AlimTalkTemplate }>(
            `SELECT doc FROM ${this.#schema}.alimtalk_templates ORDER BY client_id COLLATE "C", code COLLATE "C"`,
          )
        : this.#pool.query<{ doc: AlimTalkTemplate }>(
            `SELECT doc FROM ${this.#schema}.alimtalk_templates WHERE client_id = $1 ORDER BY code COLLATE "C"`,
            [clientId],
          ),
    );
    return rows.map((row) => row.doc);
  }

  async save(template: AlimTalkTemplate, expectedRevision: number): Promise<boolean> {
    const { clientId, code } = template;
    return this.#run('save', () =>
      inTransaction(this.#pool, async (client) => {
        const written =
          expectedRevision === 0
            ? await client.query(
                `INSERT INTO ${this.#schema}.alimtalk_templates (client_id, code, revision, doc) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (client_id, code) DO NOTHING`,
                [clientId, code, template.revision, templateDoc(template)],
              )
            : await client.query(
                `UPDATE ${this.#schema}.alimtalk_templates SET revision = $3, doc = $4
                 WHERE client_id = $1 AND code = $2 AND revision = $5`,
                [clientId, code, template.revision, templateDoc(template), expectedRevision],
              );
        if ((written.rowCount ?? 0) === 0) return false;
        await client.query(
          `INSERT INTO ${this.#schema}.alimtalk_template_versions (client_id, code, version, doc) VALUES ($1, $2, $3, $4)
           ON CONFLICT (client_id, code, version) DO NOTHING`,
          [clientId, code, template.version, versionDoc(template)],
        );
        return true;
      }),
    );
  }

  async versions(clientId: string, code: string): Promise<TemplateVersion[]> {
    const { rows } = await this.#run('versions', () =>
      this.#pool.query<{ doc: TemplateVersion }>(
        `SELECT doc FROM ${this.#schema}.alimtalk_template_versions WHERE client_id = $1 AND code = $2 ORDER BY version`,
        [clientId, code],
      ),
    );
    return rows.map((row) => row.doc);
  }

  async appendAudit(entries: readonly TemplateAuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    // One statement for the batch: the columns travel as arrays, unnest keeps their order.
    await this.#run('appendAudit', () =>
      this.#pool.query(
        `INSERT INTO ${this.#schema}.alimtalk_template_audit (client_id, code, vendor_id, at, action, detail)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[])`,
        [
          entries.map((entry) => entry.clientId),
          entries.map((entry) => entry.code),
          entries.map((entry) => entry.vendorId ?? null),
          entries.map((entry) => entry.at),
          entries.map((entry) => entry.action),
          entries.map((entry) => entry.detail),
        ],
      ),
    );
  }

  async listAudit(clientId: string, code: string): Promise<TemplateAuditEntry[]> {
    const { rows } = await this.#run('listAudit', () =>
      this.#pool.query<AuditRow>(
        `SELECT client_id, code, vendor_id, at, action, detail FROM ${this.#schema}.alimtalk_template_audit
         WHERE client_id = $1 AND code = $2 ORDER BY id`,
        [clientId, code],
      ),
    );
    return rows.map(toAuditEntry);
  }

  healthy(): Promise<boolean> {
    return isPoolHealthy(this.#pool);
  }

  async close(): Promise<void> {
    if (!this.#pool.ended) await this.#pool.end();
  }

  /** Every call: set the schema up on first use, and map any driver failure to HERALD_UNAVAILABLE. */
  #run<T>(operation: string, work: () => Promise<T>): Promise<T> {
    return guardPostgres(operation, async () => {
      await this.#start.run();
      return work();
    });
  }
}
