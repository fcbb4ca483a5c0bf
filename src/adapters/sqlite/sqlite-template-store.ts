import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { AlimTalkTemplate, TemplateVersion } from '../../core/templates/alimtalk-template.ts';
import type { TemplateAuditEntry, TemplateStore } from '../../ports/template-store.ts';
import type { AuditRow, TemplateRow, VersionRow } from '../template-rows.ts';
import { templateDoc, toAuditEntry, toTemplate, toVersion, versionDoc } from '../template-rows.ts';
import { inTransaction } from './in-transaction.ts';
import { answers, openDatabase } from './open-database.ts';
import { guardStore } from './store-failure.ts';

export interface SqliteTemplateStoreOptions {
  readonly path: string;
}

const TEMPLATE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE alimtalk_templates (
    client_id TEXT NOT NULL,
    code TEXT NOT NULL,
    revision INTEGER NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (client_id, code)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE alimtalk_template_versions (
    client_id TEXT NOT NULL,
    code TEXT NOT NULL,
    version INTEGER NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (client_id, code, version)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE alimtalk_template_audit (
    id INTEGER PRIMARY KEY,
    client_id TEXT NOT NULL,
    code TEXT NOT NULL,
    vendor_id TEXT,
    at INTEGER NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
  ) STRICT;
  CREATE INDEX alimtalk_template_audit_by_template ON alimtalk_template_audit (client_id, code, id);
  `,
];

type Statement =
  | 'get'
  | 'list'
  | 'listAll'
  | 'insert'
  | 'update'
  | 'keepVersion'
  | 'versions'
  | 'audit'
  | 'listAudit';

/**
 * The embedded template store: its own SQLite file; a save is one IMMEDIATE transaction (the
 * template and its version together), so API processes, workers and the CLI sharing the data
 * directory see one store.
 */
export class SqliteTemplateStore implements TemplateStore {
  readonly #db: DatabaseSync;
  readonly #sql: Record<Statement, StatementSync>;

  constructor(options: SqliteTemplateStoreOptions) {
    const db = openDatabase({ path: options.path, component: 'templates', migrations: TEMPLATE_MIGRATIONS });
    this.#db = db;
    this.#sql = {
      get: db.prepare('SELECT doc FROM alimtalk_templates WHERE client_id = ? AND code = ?'),
      list: db.prepare('SELECT doc FROM alimtalk_templates WHERE client_id = ? ORDER BY code'),
      listAll: db.prepare('SELECT doc FROM alimtalk_templates ORDER BY client_id, code'),
      insert: db.prepare(
        `INSERT INTO alimtalk_templates (client_id, code, revision, doc) VALUES (:clientId, :code, :revision, :doc)
         ON CONFLICT (client_id, code) DO NOTHING`,
      ),
      update: db.prepare(
        `UPDATE alimtalk_templates SET revision = :revision, doc = :doc
         WHERE client_id = :clientId AND code = :code AND revision = :expected`,
      ),
      keepVersion: db.prepare(
        `INSERT INTO alimtalk_template_versions (client_id, code, version, doc) VALUES (?, ?, ?, ?)
         ON CONFLICT (client_id, code, version) DO NOTHING`,
      ),
      versions: db.prepare(
        'SELECT doc FROM alimtalk_template_versions WHERE client_id = ? AND code = ? ORDER BY version',
      ),
      audit: db.prepare(
        `INSERT INTO alimtalk_template_audit (client_id, code, vendor_id, at, action, detail)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      listAudit: db.prepare(
        `SELECT client_id, code, vendor_id, at, action, detail FROM alimtalk_template_audit
         WHERE client_id = ? AND code = ? ORDER BY id`,
      ),
    };
  }

  async get(clientId: string, code: string): Promise<AlimTalkTemplate | undefined> {
    const row = guardStore('get', () => this.#sql.get.get(clientId, code)) as TemplateRow | undefined;
    return row && toTemplate(row);
  }

  async list(clientId?: string): Promise<AlimTalkTemplate[]> {
    const rows = guardStore('list', () =>
      clientId === undefined ? this.#sql.listAll.all() : this.#sql.list.all(clientId),
    );
    return (rows as unknown as TemplateRow[]).map(toTemplate);
  }

  async save(template: AlimTalkTemplate, expectedRevision: number): Promise<boolean> {
    return guardStore('save', () =>
      inTransaction(this.#db, () => {
        const row = {
          clientId: template.clientId,
          code: template.code,
          revision: template.revision,
          doc: templateDoc(template),
        };
        const written =
          expectedRevision === 0
            ? this.#sql.insert.run(row)
            : this.#sql.update.run({ ...row, expected: expectedRevision });
        if (Number(written.changes) === 0) return false;
        this.#sql.keepVersion.run(template.clientId, template.code, template.version, versionDoc(template));
        return true;
      }),
    );
  }

  async versions(clientId: string, code: string): Promise<TemplateVersion[]> {
    const rows = guardStore('versions', () => this.#sql.versions.all(clientId, code));
    return (rows as unknown as VersionRow[]).map(toVersion);
  }

  async appendAudit(entries: readonly TemplateAuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    guardStore('appendAudit', () =>
      inTransaction(this.#db, () => {
        for (const entry of entries) {
          this.#sql.audit.run(
            entry.clientId,
            entry.code,
            entry.vendorId ?? null,
            entry.at,
            entry.action,
            entry.detail,
          );
        }
      }),
    );
  }

  async listAudit(clientId: string, code: string): Promise<TemplateAuditEntry[]> {
    const rows = guardStore('listAudit', () => this.#sql.listAudit.all(clientId, code));
    return (rows as unknown as AuditRow[]).map(toAuditEntry);
  }

  async healthy(): Promise<boolean> {
    return answers(this.#db);
  }

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
  }
}
