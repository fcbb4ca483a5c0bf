import type { Static } from 'typebox';
import { CHANNEL_LIMITS } from '../../core/content/channel-limits.ts';
import { eucKrByteLength, findNonEucKr } from '../../core/content/euc-kr.ts';
import { HeraldError } from '../../core/domain/errors.ts';
import type { ConfigStore } from '../../ports/config-store.ts';
import { AUTHENTICATED_ERROR_RESPONSES, ErrorResponse } from '../schemas/common.ts';
import {
  PutTemplateBody,
  TemplateListResponse,
  TemplateParams,
  TemplateResponse,
} from '../schemas/templates.ts';
import type { TypeBoxApp } from '../typebox-app.ts';

const security = [{ bearerAuth: [] }];

/** GET /admin/templates, GET/PUT /admin/templates/:code: the AlimTalk template registry. */
export function registerTemplateRoutes(
  app: TypeBoxApp,
  store: Pick<ConfigStore, 'getTemplate' | 'putTemplate' | 'listTemplates'>,
): void {
  app.get(
    '/templates',
    {
      schema: {
        summary: 'Every registered AlimTalk template',
        tags: ['admin'],
        security,
        response: { 200: TemplateListResponse, ...AUTHENTICATED_ERROR_RESPONSES, 403: ErrorResponse },
      },
    },
    async () => ({ templates: await store.listTemplates() }),
  );

  app.get(
    '/templates/:code',
    {
      schema: {
        summary: 'One AlimTalk template',
        tags: ['admin'],
        security,
        params: TemplateParams,
        response: { 200: TemplateResponse, ...AUTHENTICATED_ERROR_RESPONSES, 403: ErrorResponse },
      },
    },
    async (request) => {
      const template = await store.getTemplate(request.params.code);
      if (!template) {
        throw new HeraldError('HERALD_NOT_FOUND', 'no template with this code', { field: 'code' });
      }
      return template;
    },
  );

  app.put(
    '/templates/:code',
    {
      schema: {
        summary: 'Register or replace an AlimTalk template',
        tags: ['admin'],
        security,
        params: TemplateParams,
        body: PutTemplateBody,
        response: { 200: TemplateResponse, ...AUTHENTICATED_ERROR_RESPONSES, 403: ErrorResponse },
      },
    },
    async (request) => {
      checkTemplate(request.body);
      return store.putTemplate({
        code: request.params.code,
        channel: 'alimtalk',
        body: request.body.body,
        buttons: request.body.buttons ?? [],
        fallbackBody: request.body.fallbackBody,
      });
    },
  );
}

/**
 * What the schema cannot say: web-link buttons need a mobile link (Kakao refuses them otherwise),
 * and the fallback is sent as SMS/LMS, so it must be EUC-KR and fit an LMS.
 */
function checkTemplate(body: Static<typeof PutTemplateBody>): void {
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
