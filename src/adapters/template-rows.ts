import type { AlimTalkTemplate, TemplateVersion } from '../core/templates/alimtalk-template.ts';
import type { TemplateAuditEntry } from '../ports/template-store.ts';

/**
 * Template rows as both engines store them: the key columns, the revision (the optimistic check)
 * and the rest as one JSON document, since nothing queries inside it (look-ups are by client and
 * code) and a new field then needs no migration.
 */
export interface TemplateRow {
  readonly doc: string;
}

export interface VersionRow {
  readonly doc: string;
}

export interface AuditRow {
  readonly client_id: string;
  readonly code: string;
  readonly vendor_id: string | null;
  readonly at: number | string;
  readonly action: string;
  readonly detail: string;
}

export function templateDoc(template: AlimTalkTemplate): string {
  return JSON.stringify(template);
}

export function toTemplate(row: TemplateRow): AlimTalkTemplate {
  return JSON.parse(row.doc) as AlimTalkTemplate;
}

/** The version's content, as the versions table keeps it. */
export function versionDoc(template: AlimTalkTemplate): string {
  const version: TemplateVersion = {
    version: template.version,
    name: template.name,
    body: template.body,
    buttons: template.buttons,
    ...(template.fallbackBody !== undefined && { fallbackBody: template.fallbackBody }),
    createdAt: template.updatedAt,
  };
  return JSON.stringify(version);
}

export function toVersion(row: VersionRow): TemplateVersion {
  return JSON.parse(row.doc) as TemplateVersion;
}

export function toAuditEntry(row: AuditRow): TemplateAuditEntry {
  return {
    clientId: row.client_id,
    code: row.code,
    ...(row.vendor_id !== null && { vendorId: row.vendor_id }),
    at: Number(row.at),
    action: row.action,
    detail: row.detail,
  };
}
