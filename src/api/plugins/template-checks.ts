import type { Static } from 'typebox';
import { CHANNEL_LIMITS } from '../../core/content/channel-limits.ts';
import { eucKrByteLength, findNonEucKr } from '../../core/content/euc-kr.ts';
import { HeraldError } from '../../core/domain/errors.ts';
import type { TemplateContent } from '../../core/templates/alimtalk-template.ts';
import type { TemplateVendorContext } from '../../core/templates/template-vendors.ts';
import type { TemplateStore } from '../../ports/template-store.ts';
import type { PutTemplateBody } from '../schemas/templates.ts';

/** What the template routes (client and admin) need: the store, and the vendors to submit to. */
export interface TemplateApiDeps {
  readonly store: Pick<TemplateStore, 'get' | 'list' | 'save' | 'versions' | 'appendAudit' | 'listAudit'>;
  readonly vendors: TemplateVendorContext;
  readonly now?: () => number;
}

/** The content of a PUT, checked, with the name defaulting to the code. */
export function contentOf(code: string, body: Static<typeof PutTemplateBody>): TemplateContent {
  checkTemplate(body);
  return {
    name: body.name ?? code,
    body: body.body,
    buttons: body.buttons ?? [],
    ...(body.fallbackBody !== undefined && { fallbackBody: body.fallbackBody }),
  };
}

/**
 * What the schema cannot say: web-link buttons need a mobile link (Kakao refuses them otherwise),
 * and the fallback is sent as SMS/LMS, so it must be EUC-KR and fit an LMS.
 */
export function checkTemplate(body: Static<typeof PutTemplateBody>): void {
  body.buttons?.forEach((button, index) => {
    if (button.type === 'WL' && !button.linkMobile) {
      throw new HeraldError(
        'HERALD_VALIDATION_FAILED',
        `buttons[${index}].linkMobile is required for a WL button`,
        {
          field: `buttons[${index}].linkMobile`,
        },
      );
    }
  });
  if (body.fallbackBody === undefined) {
    return;
  }
  const found = findNonEucKr(body.fallbackBody);
  if (found) {
    throw new HeraldError(
      'HERALD_NOT_EUC_KR',
      `fallbackBody has a character outside EUC-KR at index ${found.index} (${found.codePoint}); ` +
        'the fallback is sent by SMS/LMS, which carry EUC-KR only',
      { field: 'fallbackBody' },
    );
  }
  const limit = CHANNEL_LIMITS.lms.body.max;
  const bytes = eucKrByteLength(body.fallbackBody);
  if (bytes > limit) {
    throw new HeraldError(
      'HERALD_BODY_TOO_LONG',
      `fallbackBody is ${bytes} EUC-KR bytes; an LMS allows ${limit}`,
      {
        field: 'fallbackBody',
      },
    );
  }
}
