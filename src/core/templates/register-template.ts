import type { TemplateStore } from '../../ports/template-store.ts';
import { HeraldError } from '../domain/errors.ts';
import type { AlimTalkTemplate, TemplateContent, VendorTemplateStatus } from './alimtalk-template.ts';
import { reviseTemplate, withVendorStatus } from './alimtalk-template.ts';
import { updateTemplate } from './update-template.ts';

export type RegisterOutcome = 'created' | 'revised' | 'renamed' | 'unchanged';

/**
 * A client's PUT of a template: created as version 1 (draft), a new version when the text,
 * buttons or fallback change (every vendor's review dropped: it must be submitted again), or
 * unchanged. Audited, so an operator can tell who changed what when a send starts failing.
 */
export async function registerTemplate(
  store: Pick<TemplateStore, 'get' | 'save' | 'appendAudit'>,
  clientId: string,
  code: string,
  content: TemplateContent,
  now: number,
): Promise<{ readonly outcome: RegisterOutcome; readonly template: AlimTalkTemplate }> {
  let before: AlimTalkTemplate | undefined;
  const { template, changed } = await updateTemplate(store, clientId, code, (current) => {
    before = current;
    return reviseTemplate(current, { clientId, code }, content, now);
  });
  const outcome: RegisterOutcome = !changed
    ? 'unchanged'
    : !before
      ? 'created'
      : before.version === template!.version
        ? 'renamed'
        : 'revised';
  if (outcome === 'created' || outcome === 'revised') {
    await store.appendAudit([
      {
        clientId,
        code,
        at: now,
        action: outcome === 'created' ? 'registered' : 'revised',
        detail: `version ${template!.version}`,
      },
    ]);
  }
  return { outcome, template: template! };
}

/**
 * An operator records a vendor's review by hand (a template registered and reviewed at the
 * vendor's console, or a vendor without a template API): audited as `set-by-admin`. The next sync
 * corrects it from the vendor's own list where the vendor has one.
 */
export async function recordVendorReview(
  store: Pick<TemplateStore, 'get' | 'save' | 'appendAudit'>,
  clientId: string,
  code: string,
  vendorId: string,
  review: Omit<VendorTemplateStatus, 'syncedAt'>,
  now: number,
): Promise<AlimTalkTemplate> {
  const { template } = await updateTemplate(store, clientId, code, (current) =>
    current ? withVendorStatus(current, vendorId, { ...review, syncedAt: now }, now) : undefined,
  );
  if (!template) throw new HeraldError('HERALD_NOT_FOUND', `no template ${code} for client ${clientId}`);
  const reason = review.rejectedReason ? ` (${review.rejectedReason})` : '';
  await store.appendAudit([
    {
      clientId,
      code,
      vendorId,
      at: now,
      action: 'set-by-admin',
      detail: `${review.state} as ${review.code}${reason}`,
    },
  ]);
  return template;
}
