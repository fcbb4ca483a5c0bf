import type { TemplateStore } from '../../ports/template-store.ts';
import type { VendorTemplate } from '../../ports/vendor.ts';
import { HeraldError } from '../domain/errors.ts';
import type { VendorTemplateStatus } from './alimtalk-template.ts';
import { withVendorStatus } from './alimtalk-template.ts';
import type { TemplateDifference } from './template-diff.ts';
import { diffTemplate } from './template-diff.ts';
import type { TemplateVendor, TemplateVendorContext } from './template-vendors.ts';
import { senderIdsOf } from './template-vendors.ts';
import { updateTemplate } from './update-template.ts';

export interface SyncOptions {
  /** Only this vendor. */
  readonly vendorId?: string;
  /** Report the differences, change nothing (no state written, no audit rows). */
  readonly dryRun?: boolean;
  /** Called after each client's templates were compared at one vendor: (done, total) pairs. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface SyncDeps extends TemplateVendorContext {
  readonly store: Pick<TemplateStore, 'list' | 'get' | 'save' | 'appendAudit'>;
  readonly now: () => number;
  readonly signal?: AbortSignal;
}

export interface SyncDifference extends Omit<TemplateDifference, 'status'> {
  /** Whether herald recorded it (state changes only, and never on a dry run). */
  readonly applied: boolean;
}

export interface SyncSummary {
  readonly dryRun: boolean;
  readonly vendors: readonly string[];
  /** Template-at-vendor pairs compared. */
  readonly compared: number;
  readonly differences: readonly SyncDifference[];
  readonly applied: number;
  /** Lists that could not be read (the rest of the sync goes on). */
  readonly errors: readonly {
    readonly vendorId: string;
    readonly clientId: string;
    readonly message: string;
  }[];
}

/**
 * The daily sync with the vendors (the talk's platform syncs its admin every day): reads each
 * AlimTalk vendor's template list for each client's channel there, compares it with herald's
 * templates, and records the states the vendors report (approved, rejected with the reason).
 * It never deletes, never changes text, and never submits: differences in text, buttons or a
 * template missing at a vendor are reported for an operator (`herald templates submit`).
 * Each applied change is an audit row.
 */
export async function syncTemplates(deps: SyncDeps, options: SyncOptions = {}): Promise<SyncSummary> {
  const vendors = deps.vendors().filter((vendor) => !options.vendorId || vendor.id === options.vendorId);
  if (options.vendorId && vendors.length === 0) {
    throw new HeraldError(
      'HERALD_VALIDATION_FAILED',
      `${options.vendorId} is not an AlimTalk vendor with a template API here`,
      { field: 'vendor' },
    );
  }
  const byClient = Map.groupBy(await deps.store.list(), (template) => template.clientId);
  const total = byClient.size * vendors.length;
  const differences: SyncDifference[] = [];
  const errors: { vendorId: string; clientId: string; message: string }[] = [];
  let done = 0;
  let compared = 0;
  options.onProgress?.(0, total);
  for (const [clientId, templates] of byClient) {
    const senderIds = await senderIdsOf(deps.channels, clientId);
    for (const vendor of vendors) {
      const senderId = senderIds[vendor.id];
      const listed =
        senderId === undefined
          ? undefined
          : await listAt(vendor, senderId, deps, (message) =>
              errors.push({ vendorId: vendor.id, clientId, message }),
            );
      if (listed) {
        for (const template of templates) {
          compared += 1;
          for (const difference of diffTemplate(template, vendor.id, listed, deps.now())) {
            differences.push(await apply(deps, difference, template.version, options.dryRun === true));
          }
        }
      }
      options.onProgress?.(++done, total);
    }
  }
  return {
    dryRun: options.dryRun === true,
    vendors: vendors.map((vendor) => vendor.id),
    compared,
    differences,
    applied: differences.filter((difference) => difference.applied).length,
    errors,
  };
}

async function listAt(
  vendor: TemplateVendor,
  senderId: string,
  deps: SyncDeps,
  failed: (message: string) => void,
): Promise<VendorTemplate[] | undefined> {
  try {
    return await vendor.templates.list(senderId, deps.signal ?? AbortSignal.timeout(30_000));
  } catch (error) {
    failed(error instanceof Error ? error.message : String(error));
    return undefined;
  }
}

/** Records a state change (unless a dry run, or the template got a new version meanwhile). */
async function apply(
  deps: SyncDeps,
  difference: TemplateDifference,
  version: number,
  dryRun: boolean,
): Promise<SyncDifference> {
  const { status, ...reported } = difference;
  if (!status || dryRun) return { ...reported, applied: false };
  const now = deps.now();
  const { changed } = await updateTemplate(deps.store, difference.clientId, difference.code, (current) =>
    current && current.version === version && !sameReview(current.vendors[difference.vendorId], status)
      ? withVendorStatus(current, difference.vendorId, status, now)
      : undefined,
  );
  if (changed) {
    await deps.store.appendAudit([
      {
        clientId: difference.clientId,
        code: difference.code,
        vendorId: difference.vendorId,
        at: now,
        action: 'state-changed',
        detail: `${difference.detail} (sync)`,
      },
    ]);
  }
  return { ...reported, applied: changed };
}

/** Whether another sync (a second retry worker) recorded this very review already. */
function sameReview(recorded: VendorTemplateStatus | undefined, status: VendorTemplateStatus): boolean {
  return (
    recorded !== undefined &&
    recorded.code === status.code &&
    recorded.state === status.state &&
    (recorded.rejectedReason ?? '') === (status.rejectedReason ?? '')
  );
}
