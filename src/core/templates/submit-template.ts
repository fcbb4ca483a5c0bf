import type { TemplateAuditEntry, TemplateStore } from '../../ports/template-store.ts';
import type { VendorTemplate } from '../../ports/vendor.ts';
import { HeraldError } from '../domain/errors.ts';
import type { AlimTalkTemplate, VendorTemplateStatus } from './alimtalk-template.ts';
import { withVendorStatus } from './alimtalk-template.ts';
import { diffTemplate } from './template-diff.ts';
import type { TemplateVendorContext } from './template-vendors.ts';
import { senderIdsOf } from './template-vendors.ts';
import { updateTemplate } from './update-template.ts';

/** One vendor's answer to a submission. */
export type SubmitOutcome =
  /** `status`: the review the vendor's list showed right after (its own code; approved at once by some). */
  | { readonly vendorId: string; readonly outcome: 'requested'; readonly status?: VendorTemplateStatus }
  | { readonly vendorId: string; readonly outcome: 'skipped'; readonly reason: string }
  | {
      readonly vendorId: string;
      readonly outcome: 'failed';
      readonly code: string;
      readonly message: string;
    };

export interface SubmitTemplateDeps extends TemplateVendorContext {
  readonly store: Pick<TemplateStore, 'get' | 'save' | 'appendAudit'>;
  readonly now: () => number;
  readonly signal?: AbortSignal;
}

/**
 * Asks each AlimTalk vendor (or those named) to register the template for the client's channel
 * there, so Kakao reviews it: the vendor's state becomes `requested` (the sync learns the
 * verdict). A vendor where the client has no channel is skipped; one where the template is
 * approved already for this version is not asked again. Each vendor's outcome is audited.
 */
export async function submitTemplate(
  deps: SubmitTemplateDeps,
  clientId: string,
  code: string,
  only?: readonly string[],
): Promise<{ readonly template: AlimTalkTemplate; readonly outcomes: SubmitOutcome[] }> {
  const template = await deps.store.get(clientId, code);
  if (!template) {
    throw new HeraldError('HERALD_NOT_FOUND', `no template ${code}`, { field: 'code' });
  }
  const available = deps.vendors();
  const vendors = available.filter((vendor) => only === undefined || only.includes(vendor.id));
  const unknown = (only ?? [])
    .filter((vendorId) => !available.some((vendor) => vendor.id === vendorId))
    .map(
      (vendorId): SubmitOutcome => ({
        vendorId,
        outcome: 'skipped',
        reason: 'not an AlimTalk vendor with a template API here',
      }),
    );
  const senderIds = await senderIdsOf(deps.channels, clientId);
  const signal = deps.signal ?? AbortSignal.timeout(30_000);
  const outcomes = await Promise.all(
    vendors.map(async (vendor): Promise<SubmitOutcome> => {
      const senderId = senderIds[vendor.id];
      if (senderId === undefined) {
        return { vendorId: vendor.id, outcome: 'skipped', reason: 'the client has no Kakao channel there' };
      }
      if (template.vendors[vendor.id]?.state === 'approved') {
        return { vendorId: vendor.id, outcome: 'skipped', reason: 'approved there already' };
      }
      try {
        await vendor.templates.submit(
          { code, name: template.name, body: template.body, buttons: template.buttons, senderId },
          signal,
        );
        const status = await reviewAfterSubmit(
          template,
          vendor.id,
          () => vendor.templates.list(senderId, signal),
          deps.now(),
        );
        return { vendorId: vendor.id, outcome: 'requested', ...(status && { status }) };
      } catch (error) {
        const code = error instanceof HeraldError ? error.code : 'HERALD_VENDOR_UNAVAILABLE';
        const message = error instanceof Error ? error.message : String(error);
        return { vendorId: vendor.id, outcome: 'failed', code, message };
      }
    }),
  );
  outcomes.push(...unknown);
  const now = deps.now();
  const requested = outcomes.filter((outcome) => outcome.outcome === 'requested');
  const { template: stored } = await updateTemplate(deps.store, clientId, code, (current) => {
    // Another version was saved meanwhile: what was submitted is no longer this template's text.
    if (!current || current.version !== template.version || requested.length === 0) return undefined;
    return requested.reduce(
      (next, outcome) =>
        withVendorStatus(
          next,
          outcome.vendorId,
          outcome.outcome === 'requested' && outcome.status
            ? outcome.status
            : { code, state: 'requested', syncedAt: now },
          now,
        ),
      current,
    );
  });
  await deps.store.appendAudit(
    outcomes.flatMap((outcome) => auditOf(clientId, code, template.version, outcome, now)),
  );
  return { template: stored ?? template, outcomes };
}

/**
 * The vendor's review as its list shows it right after the submission: the code the vendor gave
 * (SOLAPI assigns its own) and a verdict when the vendor has one at once. Undefined when the list
 * cannot be read or shows other text: the sync learns it later.
 */
async function reviewAfterSubmit(
  template: AlimTalkTemplate,
  vendorId: string,
  list: () => Promise<VendorTemplate[]>,
  now: number,
): Promise<VendorTemplateStatus | undefined> {
  try {
    const listed = await list();
    return diffTemplate(template, vendorId, listed, now).find((difference) => difference.status)?.status;
  } catch {
    return undefined;
  }
}

function auditOf(
  clientId: string,
  code: string,
  version: number,
  outcome: SubmitOutcome,
  at: number,
): TemplateAuditEntry[] {
  const base = { clientId, code, vendorId: outcome.vendorId, at };
  switch (outcome.outcome) {
    case 'requested': {
      const review = outcome.status
        ? `; the vendor lists it ${outcome.status.state} as ${outcome.status.code}`
        : '';
      return [{ ...base, action: 'submitted', detail: `version ${version}${review}` }];
    }
    case 'failed':
      return [{ ...base, action: 'submit-failed', detail: `${outcome.code}: ${outcome.message}` }];
    case 'skipped':
      return [];
  }
}
