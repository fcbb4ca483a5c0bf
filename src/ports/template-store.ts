import type { AlimTalkTemplate, TemplateVersion } from '../core/templates/alimtalk-template.ts';

/**
 * Template store port: clients' AlimTalk templates, every version of their content, and the audit
 * trail of what herald did to them (registration, submission, sync).
 *
 * Deliberately left out: how a template changes (core/templates/ decides versions and states; the
 * store only keeps what it is given, guarded by the revision) and any driver or connection type.
 */
export interface TemplateAuditEntry {
  readonly clientId: string;
  readonly code: string;
  /** The vendor concerned; absent for herald-side changes (registration). */
  readonly vendorId?: string;
  readonly at: number;
  /** registered | revised | submitted | submit-failed | state-changed | set-by-admin */
  readonly action: string;
  /** What changed, e.g. `requested -> approved`, a rejection reason, an error code. */
  readonly detail: string;
}

export interface TemplateStore {
  get(clientId: string, code: string): Promise<AlimTalkTemplate | undefined>;
  /** The client's templates by code; every client's (client, then code) without one (the sync). */
  list(clientId?: string): Promise<AlimTalkTemplate[]>;
  /**
   * Writes `template` if the stored revision is still `expectedRevision` (0: none stored yet) and
   * keeps its content as version `template.version` (once). Returns false, writing nothing, when
   * another writer came first: the caller reads again and re-applies its change.
   */
  save(template: AlimTalkTemplate, expectedRevision: number): Promise<boolean>;
  /** Every kept version of the template's content, oldest first. */
  versions(clientId: string, code: string): Promise<TemplateVersion[]>;
  appendAudit(entries: readonly TemplateAuditEntry[]): Promise<void>;
  /** The template's audit trail, oldest first. */
  listAudit(clientId: string, code: string): Promise<TemplateAuditEntry[]>;
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}
