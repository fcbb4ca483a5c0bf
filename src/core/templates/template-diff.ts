import type { VendorTemplate } from '../../ports/vendor.ts';
import type { AlimTalkTemplate, VendorTemplateStatus } from './alimtalk-template.ts';
import { sameButtons } from './alimtalk-template.ts';

/** One way herald's template and a vendor's list disagree. */
export type TemplateDifferenceKind = 'missing-at-vendor' | 'content-differs' | 'state-changed';

export interface TemplateDifference {
  readonly clientId: string;
  readonly code: string;
  readonly vendorId: string;
  readonly kind: TemplateDifferenceKind;
  /** Human-readable: which field differs, or `requested -> approved`. */
  readonly detail: string;
  /** state-changed only: the review to record (when the text matches, see `diffTemplate`). */
  readonly status?: VendorTemplateStatus;
}

/**
 * Compares herald's template with one vendor's list for the client's channel. The vendor's entry
 * is found by the code herald recorded for that vendor (else herald's code, else the same name:
 * SOLAPI gives its own ids). A state the vendor reports is only adopted while the vendor's text
 * and buttons are herald's: a vendor approving other text would refuse herald's sends anyway.
 */
export function diffTemplate(
  template: AlimTalkTemplate,
  vendorId: string,
  listed: readonly VendorTemplate[],
  now: number,
): TemplateDifference[] {
  const base = { clientId: template.clientId, code: template.code, vendorId };
  const known = template.vendors[vendorId];
  const atVendor =
    listed.find((entry) => entry.code === (known?.code ?? template.code)) ??
    listed.find((entry) => entry.name === template.name);
  if (!atVendor) {
    const was = known ? ` (herald recorded it ${known.state} as ${known.code})` : '';
    return [{ ...base, kind: 'missing-at-vendor', detail: `not in the vendor's list${was}` }];
  }
  const differences: TemplateDifference[] = [];
  const contentDiffers = contentDifference(template, atVendor);
  if (contentDiffers) differences.push({ ...base, kind: 'content-differs', detail: contentDiffers });
  const stateChanged =
    known?.state !== atVendor.state ||
    known.code !== atVendor.code ||
    (known.rejectedReason ?? '') !== (atVendor.rejectedReason ?? '');
  if (stateChanged) {
    const reason = atVendor.rejectedReason ? ` (${atVendor.rejectedReason})` : '';
    const detail = `${known?.state ?? 'unknown'} -> ${atVendor.state}${reason}`;
    differences.push({
      ...base,
      kind: 'state-changed',
      detail: contentDiffers ? `${detail}; not applied: the vendor's text differs` : detail,
      ...(!contentDiffers && {
        status: {
          code: atVendor.code,
          state: atVendor.state,
          ...(atVendor.rejectedReason !== undefined && { rejectedReason: atVendor.rejectedReason }),
          syncedAt: now,
        },
      }),
    });
  }
  return differences;
}

function contentDifference(template: AlimTalkTemplate, atVendor: VendorTemplate): string | undefined {
  const fields: string[] = [];
  if (normalise(atVendor.body) !== normalise(template.body)) fields.push('text');
  if (!sameButtons(atVendor.buttons, template.buttons)) fields.push('buttons');
  return fields.length === 0
    ? undefined
    : `${fields.join(' and ')} differ from herald's version ${template.version}`;
}

/** Vendors hand text back with CRLF line ends (NHN's console does): not a difference. */
function normalise(text: string): string {
  return text.replace(/\r\n/g, '\n');
}
