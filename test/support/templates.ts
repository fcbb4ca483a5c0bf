import { DEFAULT_REMOTE_CONFIG } from '../../src/config/default-remote-config.ts';
import type { AlimTalkTemplate, TemplateContent } from '../../src/core/templates/alimtalk-template.ts';
import { reviseTemplate, withVendorStatus } from '../../src/core/templates/alimtalk-template.ts';
import { routedVendors } from '../../src/core/templates/template-lookup.ts';
import { updateTemplate } from '../../src/core/templates/update-template.ts';
import type { TemplateStore } from '../../src/ports/template-store.ts';

/** The vendors the default config routes AlimTalk to: where test templates are approved. */
export const DEFAULT_ALIMTALK_VENDORS = routedVendors(DEFAULT_REMOTE_CONFIG, 'alimtalk');

export interface TestTemplate extends Partial<TemplateContent> {
  readonly clientId: string;
  readonly code: string;
  readonly body: string;
}

/**
 * A client's template as Kakao approved it at `vendors` (each under herald's code), for tests that
 * send AlimTalk and are not about the review itself.
 */
export function approvedTemplate(
  fields: TestTemplate,
  vendors: readonly string[] = DEFAULT_ALIMTALK_VENDORS,
  now = 0,
): AlimTalkTemplate {
  const draft = reviseTemplate(
    undefined,
    { clientId: fields.clientId, code: fields.code },
    {
      name: fields.name ?? fields.code,
      body: fields.body,
      buttons: fields.buttons ?? [],
      ...(fields.fallbackBody !== undefined && { fallbackBody: fields.fallbackBody }),
    },
    now,
  )!;
  return vendors.reduce(
    (template, vendorId) =>
      withVendorStatus(template, vendorId, { code: fields.code, state: 'approved', syncedAt: now }, now),
    draft,
  );
}

/** Stores `approvedTemplate(fields, vendors)` (replacing what the client had under that code). */
export async function registerApprovedTemplate(
  store: Pick<TemplateStore, 'get' | 'save'>,
  fields: TestTemplate,
  vendors: readonly string[] = DEFAULT_ALIMTALK_VENDORS,
): Promise<AlimTalkTemplate> {
  const wanted = approvedTemplate(fields, vendors, Date.now());
  const { template } = await updateTemplate(store, fields.clientId, fields.code, (current) => ({
    ...wanted,
    version: current ? current.version + 1 : 1,
    revision: (current?.revision ?? 0) + 1,
  }));
  return template!;
}

/**
 * The admin calls that register an approved template over HTTP (e2e, drills, bench): the content
 * by PUT /admin/templates/:code, its submission to the vendors (POST .../submit), then for each
 * vendor that did not approve it at once, the approval as an operator records a review done at
 * the vendor's console (PUT /admin/templates/:code/vendors/:vendorId).
 */
export async function registerApprovedTemplateOverHttp(
  call: (method: string, path: string, body: unknown) => Promise<{ status: number; body?: unknown }>,
  fields: TestTemplate,
  vendors: readonly string[] = DEFAULT_ALIMTALK_VENDORS,
): Promise<void> {
  const { clientId, code, ...content } = fields;
  const put = await call('PUT', `/admin/templates/${code}`, {
    clientId,
    name: content.name ?? code,
    body: content.body,
    ...(content.buttons && { buttons: content.buttons }),
    ...(content.fallbackBody !== undefined && { fallbackBody: content.fallbackBody }),
  });
  if (put.status !== 200)
    throw new Error(`PUT /admin/templates/${code}: ${put.status} ${JSON.stringify(put.body)}`);
  // Submitted first: a simulated vendor registers it (approving at once, under its own code where
  // the vendor names templates itself, as SOLAPI does), so sends pass the vendor's own check too.
  const submitted = await call('POST', `/admin/templates/${code}/submit`, { clientId });
  if (submitted.status !== 200) {
    throw new Error(
      `POST /admin/templates/${code}/submit: ${submitted.status} ${JSON.stringify(submitted.body)}`,
    );
  }
  const reviewed = (submitted.body as { template: { vendors: Record<string, { state: string }> } }).template
    .vendors;
  for (const vendorId of vendors) {
    if (reviewed[vendorId]?.state === 'approved') continue;
    const path = `/admin/templates/${code}/vendors/${vendorId}`;
    const set = await call('PUT', path, { clientId, code, state: 'approved' });
    if (set.status !== 200) throw new Error(`PUT ${path}: ${set.status} ${JSON.stringify(set.body)}`);
  }
}
